using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SuperRes.Server.Jobs;
using SuperRes.Server.Observability;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Security;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Api;

/// <summary>POST /api/v1/upscale: small images, answered synchronously; a client disconnect cancels the work.</summary>
public static class UpscaleEndpoints
{
    public static void MapUpscale(this RouteGroupBuilder api)
    {
        api.MapPost("/upscale", HandleAsync)
            .DisableAntiforgery()
            .CountsAsUpload()
            .WithName("Upscale")
            .WithSummary("Upscale a small image and return it in the response.")
            .ProducesImage()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429);
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult, EmptyHttpResult>> HandleAsync(HttpContext context, UpscaleService upscale, SyncGate gate, IOptions<ServerOptions> options, Upscaler upscaler,
        ServerMetrics metrics)
    {
        var ct = context.RequestAborted;
        try
        {
            var (form, problem) = await UploadForm.ReadAsync(context.Request, options.Value, upscaler.Store, ct);
            if (problem is not null)
            {
                return problem;
            }
            var admission = upscale.Admit(form!.Image, form.Parameters);
            var header = admission.Header;
            if (options.Value.Limits.SyncMaxMegapixels > 0 && header.Megapixels > options.Value.Limits.SyncMaxMegapixels)
            {
                return TypedResults.Problem(statusCode: 422, title: "Image too large for the synchronous endpoint",
                    detail: $"The image is {header.Width}x{header.Height}; this endpoint takes up to {options.Value.Limits.SyncMaxMegapixels:0.##} megapixels, so submit it with POST /api/v1/jobs.");
            }
            using var slot = gate.Enter();
            var result = await upscale.RunAsync(form.Image, form.Parameters, admission, null, ct, waitForMemory: false);
            context.Response.Headers["X-SuperRes-Cache"] = result.CacheHit ? "hit" : "miss";
            if (JobResultInfo.Warning(result.Notes) is { } warning)
            {
                context.Response.Headers["X-SuperRes-Warning"] = warning;
            }
            RestoreHeader.Add(context, result.Restore);
            context.Response.Headers["X-SuperRes-Seconds"] = result.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Stream(result.Content, result.MediaType, "upscaled" + result.Extension);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            metrics.Rejected("client_disconnected");
            return TypedResults.Empty;
        }
    }
}
