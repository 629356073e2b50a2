using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Server.Jobs;
using SuperRes.Server.Jobs.Idempotency;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Security;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Api;

/// <summary>/api/v1/jobs: submit, watch (poll or server-sent events), fetch the result, cancel.</summary>
public static class JobEndpoints
{
    public static void MapJobs(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", SubmitAsync).DisableAntiforgery().CountsAsUpload().WithName("SubmitJob").WithSummary("Queue an image for upscaling.")
            .Produces<JobSnapshot>(202).ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
        jobs.MapGet("/{id}", async Task<Results<Ok<JobSnapshot>, ProblemHttpResult>> (string id, IJobQueue queue, HttpContext context, CancellationToken ct) =>
                await OwnedJobs.FindAsync(queue, id, context, ct) is { } j ? TypedResults.Ok(j) : NotFound(id))
            .WithName("GetJob").WithSummary("Status, progress (tiles done) and timings of a job.").Produces<JobSnapshot>().ProducesProblem(404).ProducesProblem(503);
        jobs.MapGet("/{id}/result", GetResultAsync).WithName("GetJobResult").WithSummary("The upscaled image of a finished job.")
            .ProducesImage().ProducesProblem(404).ProducesProblem(409);
        jobs.MapDelete("/{id}", CancelAsync).WithName("CancelJob").WithSummary("Cancel a queued or running job.").Produces<JobSnapshot>().ProducesProblem(404);
        jobs.MapGet("/{id}/events", StreamEventsAsync).CountsAsEventStream().WithName("JobEvents").WithSummary("Server-sent events with the job's progress until it finishes.")
            .ProducesProblem(404);
    }

    private static async Task<Results<Accepted<JobSnapshot>, ProblemHttpResult>> SubmitAsync(HttpContext context, UpscaleService upscale, IJobQueue queue,
        IOptions<ServerOptions> options, Upscaler upscaler)
    {
        var (job, problem) = await AcceptAsync(context, upscale, queue, options.Value, upscaler);
        return problem is null ? TypedResults.Accepted($"/api/v1/jobs/{job!.Id}", job) : problem;
    }

    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// Submits under an <c>Idempotency-Key</c>: the first request with a key creates the job; the same key with the
    /// same body again (a client retrying after a time-out) gets that job back; with another body, 422. Keys are
    /// kept per API key, for the jobs' time to live.
    /// </summary>
    private static async Task<(JobSnapshot? Job, ProblemHttpResult? Problem)> SubmitOnceAsync(HttpContext context, string key, UploadForm.Parsed form,
        Admission admission, IJobQueue queue)
    {
        if (key.Length is 0 or > 255 || key.Any(c => c is < ' ' or > '~'))
        {
            return (null, TypedResults.Problem(statusCode: 400, title: "Invalid Idempotency-Key", detail: "An Idempotency-Key is 1 to 255 printable ASCII characters."));
        }
        var store = context.RequestServices.GetRequiredService<IIdempotencyStore>();
        var scoped = ResultKey.Hash($"{form.Parameters.Tenant}|{key}"); // no client text reaches a Redis key
        var fingerprint = form.Job.Fingerprint(form.Image);
        var ct = context.RequestAborted;
        var claim = await store.ClaimAsync(scoped, fingerprint, ct);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.DifferentBody:
                return (null, TypedResults.Problem(statusCode: 422, title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was sent before with a different image or parameters; use a new key for a new job."));
            case IdempotencyOutcome.InProgress:
                context.Response.Headers.RetryAfter = "1";
                return (null, TypedResults.Problem(statusCode: 409, title: "Request in progress",
                    detail: "A request with this Idempotency-Key is still being accepted; retry in a moment to get its job."));
            case IdempotencyOutcome.Existing when await queue.FindAsync(claim.JobId!, ct) is { } existing:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return (existing, null);
            case IdempotencyOutcome.Existing:
                return (null, NotFound(claim.JobId!)); // the key outlived its job's record
        }
        try
        {
            var job = await queue.SubmitAsync(form.Job, form.Image, admission, ct);
            await store.CompleteAsync(scoped, fingerprint, job.Id, ct);
            return (job, null);
        }
        catch
        {
            await store.ReleaseAsync(scoped, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Reads the form, checks it and queues the job: the job, or the problem to answer (every submit endpoint shares this).</summary>
    internal static async Task<(JobSnapshot? Job, ProblemHttpResult? Problem)> AcceptAsync(HttpContext context, UpscaleService upscale, IJobQueue queue,
        ServerOptions options, Upscaler upscaler)
    {
        try
        {
            var (form, problem) = await UploadForm.ReadAsync(context.Request, options, upscaler.Store, context.RequestAborted);
            if (problem is not null)
            {
                return (null, problem);
            }
            var admission = upscale.Admit(form!.Image, form.Parameters); // format, size and memory limits fail here, before the job is queued
            if (context.Request.Headers[IdempotencyHeader].FirstOrDefault() is not { } key)
            {
                return (await queue.SubmitAsync(form.Job, form.Image, admission, context.RequestAborted), null);
            }
            return await SubmitOnceAsync(context, key, form, admission, queue);
        }
        catch (Exception e) when (ProblemMapping.Knows(e))
        {
            return (null, ProblemMapping.ToResult(e, context));
        }
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetResultAsync(string id, IJobQueue queue, HttpContext context,
        CancellationToken ct)
    {
        if (await OwnedJobs.FindAsync(queue, id, context, ct) is not { } job)
        {
            return NotFound(id);
        }
        return await ResultAsync(job, queue, context, ct) ?? TypedResults.Problem(statusCode: 409, title: "Not finished",
            detail: $"The job is {job.Status.ToString().ToLowerInvariant()}; wait for it to succeed (see its events).");
    }

    /// <summary>A finished job's result, or why there is none: the one answer of every result route (the recipe's
    /// included); null while the job is queued or running, where the routes differ.</summary>
    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>?> ResultAsync(JobSnapshot job, IJobQueue queue, HttpContext context,
        CancellationToken ct)
    {
        if (job.Status == JobStatus.Succeeded && await queue.GetResultAsync(job.Id, ct) is { } result)
        {
            RestoreHeader.Add(context, job.Restore);
            return TypedResults.Stream(result.Content, result.MediaType, $"{job.Id}{result.Extension}");
        }
        ProblemHttpResult? problem = job.Status switch
        {
            JobStatus.Succeeded => TypedResults.Problem(statusCode: 404, title: "Result expired", detail: "The job succeeded but its result has expired."),
            JobStatus.Failed => TypedResults.Problem(statusCode: 409, title: "The job failed", detail: job.Error),
            JobStatus.Canceled => TypedResults.Problem(statusCode: 409, title: "The job was canceled", detail: job.Error),
            _ => null,
        };
        return problem is null ? null : (Results<FileStreamHttpResult, ProblemHttpResult>)problem;
    }

    private static async Task<Results<Ok<JobSnapshot>, ProblemHttpResult>> CancelAsync(string id, IJobQueue queue, JobCompletion completion, HttpContext context,
        CancellationToken ct)
    {
        if (await OwnedJobs.FindAsync(queue, id, context, ct) is not { } job)
        {
            return NotFound(id);
        }
        await completion.EndAsync(id, JobEnding.Canceled(job.Progress), ct); // false when it had ended already: then it stays as it was
        return await queue.FindAsync(id, ct) is { } after ? TypedResults.Ok(after) : NotFound(id);
    }

    /// <summary>The job's state as server-sent events: "progress" on every change, then one "done" with its final state.</summary>
    private static async Task<Results<ServerSentEventsResult<JobSnapshot>, ProblemHttpResult>> StreamEventsAsync(string id, HttpContext context,
        IJobQueue queue)
    {
        if (await OwnedJobs.FindAsync(queue, id, context, context.RequestAborted) is null)
        {
            return NotFound(id);
        }
        context.Response.Headers["X-Accel-Buffering"] = "no"; // a proxy in front must not hold the events back
        return TypedResults.ServerSentEvents(Events(queue, id, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<JobSnapshot>> Events(IJobQueue queue, string id, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var changes = queue.WatchAsync(id, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await changes.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                yield break; // the client went away; the job goes on
            }
            catch (Exception e) when (ProblemMapping.IsUnavailable(e))
            {
                yield break; // Redis went away mid-stream: an EventSource reconnects and gets 503 until Redis is back
            }
            var job = changes.Current;
            yield return new SseItem<JobSnapshot>(job, job.IsFinished ? "done" : "progress");
        }
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "No such job", detail: $"There is no job {id}; it never existed or has expired.");
}
