using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SuperRes.Server.Jobs;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Security;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Api;

/// <summary>
/// The well-known Flask recipe's routes, so its clients move without changing code: <c>POST /enhance</c>
/// (multipart field <c>image</c>) answers <c>{"task_id", "status": "processing"}</c>, <c>GET /result/{task_id}</c>
/// answers 202 with the status until the image is ready, then the image. <c>POST /enhance/sync</c> is the
/// recipe's first, synchronous form: the image in the response. Task ids are SuperRes's job ids (128 random
/// bits, not a hash of the file name); limits, keys and the cache are those of API v1.
/// </summary>
public static class RecipeEndpoints
{
    /// <param name="Task_id">The job's id, spelled as the recipe's clients read it.</param>
    public sealed record TaskView(string Task_id, string Status);

    public static void MapRecipe(this IEndpointRouteBuilder app, ServerOptions options)
    {
        var recipe = app.MapGroup("").WithTags("Recipe-compatible").RequireApiKeyIfConfigured(options);
        recipe.MapPost("/enhance", EnhanceAsync).DisableAntiforgery().CountsAsUpload()
            .WithName("Enhance").WithSummary("Queue an image, as the Flask recipe's POST /enhance does.").Produces<TaskView>();
        recipe.MapPost("/enhance/sync", UpscaleEndpoints.HandleAsync).DisableAntiforgery().CountsAsUpload()
            .WithName("EnhanceSync").WithSummary("Upscale a small image and return it, as the recipe's first version did.").ProducesImage();
        recipe.MapGet("/result/{task_id}", ResultAsync).WithName("EnhanceResult")
            .WithSummary("202 with the status until the image is ready, then the image.").ProducesImage().Produces<TaskView>(202);
    }

    private static async Task<Results<Ok<TaskView>, ProblemHttpResult>> EnhanceAsync(HttpContext context, UpscaleService upscale, IJobQueue queue,
        IOptions<ServerOptions> options, Upscaler upscaler)
    {
        var (job, problem) = await JobEndpoints.AcceptAsync(context, upscale, queue, options.Value, upscaler);
        // 200 as the recipe answers (its clients read the body, some check the status).
        return problem is null ? TypedResults.Ok(new TaskView(job!.Id, "processing")) : problem;
    }

    /// <summary>The job result route's answers, except that a task still queued or running answers 202 with its status,
    /// as the recipe's clients poll for.</summary>
    private static async Task<Results<FileStreamHttpResult, JsonHttpResult<TaskView>, ProblemHttpResult>> ResultAsync(string task_id, IJobQueue queue,
        HttpContext context, CancellationToken ct)
    {
        if (await OwnedJobs.FindAsync(queue, task_id, context, ct) is not { } job)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such task", detail: $"There is no task {task_id}; it never existed or has expired.");
        }
        return await JobEndpoints.ResultAsync(job, queue, context, ct) switch
        {
            { Result: FileStreamHttpResult file } => file,
            { Result: ProblemHttpResult problem } => problem,
            _ => TypedResults.Json(new TaskView(job.Id, "processing"), statusCode: 202),
        };
    }
}
