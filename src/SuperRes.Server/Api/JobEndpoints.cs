using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SuperRes.Server.Jobs;

namespace SuperRes.Server.Api;

/// <summary>/api/v1/jobs: submit, watch (poll or server-sent events), fetch the result, cancel.</summary>
public static class JobEndpoints
{
    public static void MapJobs(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", SubmitAsync).DisableAntiforgery().WithName("SubmitJob").WithSummary("Queue an image for upscaling.")
            .Produces<JobView>(202).ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
        jobs.MapGet("/{id}", (string id, JobStore store) => store.Find(id) is { } j ? Results.Ok(JobView.From(j)) : NotFound(id))
            .WithName("GetJob").WithSummary("Status, progress (tiles done) and timings of a job.").Produces<JobView>().ProducesProblem(404);
        jobs.MapGet("/{id}/result", GetResult).WithName("GetJobResult").WithSummary("The upscaled image of a finished job.")
            .Produces(200, contentType: "image/png").ProducesProblem(404).ProducesProblem(409);
        jobs.MapDelete("/{id}", Cancel).WithName("CancelJob").WithSummary("Cancel a queued or running job.").Produces<JobView>().ProducesProblem(404);
        jobs.MapGet("/{id}/events", StreamEventsAsync).WithName("JobEvents").WithSummary("Server-sent events with the job's progress until it finishes.")
            .Produces(200, contentType: "text/event-stream").ProducesProblem(404);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, UpscaleService upscale, JobStore store, IOptions<ServerOptions> options,
        Upscaler upscaler, TimeProvider clock)
    {
        try
        {
            var (form, problem) = await UploadForm.ReadAsync(context.Request, options.Value, upscaler.Store, context.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }
            upscale.Inspect(form!.Image); // format and size limits fail here, before the job is queued
            var job = store.Submit(new Job(form.Parameters, form.Image, clock.GetUtcNow()));
            return Results.Accepted($"/api/v1/jobs/{job.Id}", JobView.From(job));
        }
        catch (Exception e) when (ProblemMapping.For(e).Status < 500)
        {
            return ProblemMapping.ToResult(e, context);
        }
    }

    private static IResult GetResult(string id, JobStore store)
    {
        var job = store.Find(id);
        if (job is null)
        {
            return NotFound(id);
        }
        return job.Status switch
        {
            JobStatus.Succeeded => Results.File(job.Result!.Data, job.Result.MediaType, $"{job.Id}{job.Result.Extension}"),
            JobStatus.Failed => Results.Problem(statusCode: 409, title: "The job failed", detail: job.Error),
            JobStatus.Canceled => Results.Problem(statusCode: 409, title: "The job was canceled", detail: job.Error),
            _ => Results.Problem(statusCode: 409, title: "Not finished", detail: $"The job is {job.Status.ToString().ToLowerInvariant()}; wait for it to succeed (see its events)."),
        };
    }

    private static IResult Cancel(string id, JobStore store)
    {
        var job = store.Find(id);
        if (job is null)
        {
            return NotFound(id);
        }
        store.Cancel(job);
        return Results.Ok(JobView.From(job));
    }

    private static async Task StreamEventsAsync(string id, HttpContext context, JobStore store, IOptions<JsonOptions> json)
    {
        var job = store.Find(id);
        if (job is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        var ct = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            while (true)
            {
                long version = job.Version;
                var view = JobView.From(job);
                // Decide from the snapshot just taken: the job may finish while it is being written.
                bool finished = view.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;
                await context.Response.WriteAsync($"event: {(finished ? "done" : "progress")}\ndata: {JsonSerializer.Serialize(view, json.Value.SerializerOptions)}\n\n", ct);
                await context.Response.Body.FlushAsync(ct);
                if (finished)
                {
                    return;
                }
                await job.WaitForChangeAsync(version, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; the job goes on.
        }
    }

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: 404, title: "No such job", detail: $"There is no job {id}; it never existed or has expired.");
}
