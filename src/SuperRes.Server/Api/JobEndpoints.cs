using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Server.Hosting;
using SuperRes.Server.Jobs;
using SuperRes.Server.Jobs.Idempotency;
using SuperRes.Server.Security;

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
            .Produces(200, contentType: "text/event-stream").ProducesProblem(404);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, UpscaleService upscale, IJobQueue queue, IOptions<ServerOptions> options,
        Upscaler upscaler)
    {
        var (job, problem) = await AcceptAsync(context, upscale, queue, options.Value, upscaler);
        return problem ?? Results.Accepted($"/api/v1/jobs/{job!.Id}", job);
    }

    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// Submits under an <c>Idempotency-Key</c>: the first request with a key creates the job; the same key with the
    /// same body again (a client retrying after a time-out) gets that job back; with another body, 422. Keys are
    /// kept per API key, for the jobs' time to live.
    /// </summary>
    private static async Task<(JobSnapshot? Job, IResult? Problem)> SubmitOnceAsync(HttpContext context, string key, UploadForm.Parsed form,
        ImageHeader header, IJobQueue queue)
    {
        if (key.Length is 0 or > 255 || key.Any(c => c is < ' ' or > '~'))
        {
            return (null, Results.Problem(statusCode: 400, title: "Invalid Idempotency-Key", detail: "An Idempotency-Key is 1 to 255 printable ASCII characters."));
        }
        var store = context.RequestServices.GetRequiredService<IIdempotencyStore>();
        var p = form.Parameters;
        var scoped = Caching.ResultKey.Hash($"{p.Tenant}|{key}"); // no client text reaches a Redis key
        var fingerprint = p.Fingerprint(form.Image);
        var ct = context.RequestAborted;
        var claim = await store.ClaimAsync(scoped, fingerprint, ct);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.DifferentBody:
                return (null, Results.Problem(statusCode: 422, title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was sent before with a different image or parameters; use a new key for a new job."));
            case IdempotencyOutcome.InProgress:
                context.Response.Headers.RetryAfter = "1";
                return (null, Results.Problem(statusCode: 409, title: "Request in progress",
                    detail: "A request with this Idempotency-Key is still being accepted; retry in a moment to get its job."));
            case IdempotencyOutcome.Existing when await queue.FindAsync(claim.JobId!, ct) is { } existing:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return (existing, null);
            case IdempotencyOutcome.Existing:
                return (null, NotFound(claim.JobId!)); // the key outlived its job's record
        }
        try
        {
            var job = await queue.SubmitAsync(p, form.Image, header, ct);
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
    internal static async Task<(JobSnapshot? Job, IResult? Problem)> AcceptAsync(HttpContext context, UpscaleService upscale, IJobQueue queue,
        ServerOptions options, Upscaler upscaler)
    {
        try
        {
            var (form, problem) = await UploadForm.ReadAsync(context.Request, options, upscaler.Store, context.RequestAborted);
            if (problem is not null)
            {
                return (null, problem);
            }
            var header = upscale.Inspect(form!.Image, form.Parameters); // format, size and memory limits fail here, before the job is queued
            if (context.Request.Headers[IdempotencyHeader].FirstOrDefault() is not { } key)
            {
                return (await queue.SubmitAsync(form.Parameters, form.Image, header, context.RequestAborted), null);
            }
            return await SubmitOnceAsync(context, key, form, header, queue);
        }
        catch (Exception e) when (ProblemMapping.Knows(e))
        {
            return (null, ProblemMapping.ToResult(e, context));
        }
    }

    private static async Task<IResult> GetResultAsync(string id, IJobQueue queue, HttpContext context, CancellationToken ct)
    {
        var job = await OwnedJobs.FindAsync(queue, id, context, ct);
        if (job is null)
        {
            return NotFound(id);
        }
        if (job.Status == JobStatus.Succeeded && await queue.GetResultAsync(id, ct) is { } result)
        {
            RestoreHeader.Add(context, job.Restore);
            return Results.Stream(result.OpenRead(), result.MediaType, $"{job.Id}{result.Extension}");
        }
        return job.Status switch
        {
            JobStatus.Succeeded => Results.Problem(statusCode: 404, title: "Result expired", detail: "The job succeeded but its result has expired."),
            JobStatus.Failed => Results.Problem(statusCode: 409, title: "The job failed", detail: job.Error),
            JobStatus.Canceled => Results.Problem(statusCode: 409, title: "The job was canceled", detail: job.Error),
            _ => Results.Problem(statusCode: 409, title: "Not finished", detail: $"The job is {job.Status.ToString().ToLowerInvariant()}; wait for it to succeed (see its events)."),
        };
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

    private static async Task StreamEventsAsync(string id, HttpContext context, IJobQueue queue, IOptions<JsonOptions> json)
    {
        var ct = context.RequestAborted;
        if (await OwnedJobs.FindAsync(queue, id, context, ct) is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await foreach (var job in queue.WatchAsync(id, ct))
            {
                await context.Response.WriteAsync($"event: {(job.IsFinished ? "done" : "progress")}\ndata: {JsonSerializer.Serialize(job, json.Value.SerializerOptions)}\n\n", ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; the job goes on.
        }
        catch (Exception e) when (ProblemMapping.IsUnavailable(e))
        {
            // Redis went away mid-stream: end the stream; an EventSource reconnects and gets 503 until Redis is back.
        }
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "No such job", detail: $"There is no job {id}; it never existed or has expired.");
}
