using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SuperRes.Server.Hosting;

namespace SuperRes.Server.Api;

/// <summary>/healthz: the process answers. /readyz: the preloaded models are loaded.</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).WithTags("Health").WithName("Health");
        app.MapGet("/readyz", (Readiness r) => r.IsReady
                ? Results.Ok(new { status = "ready" })
                : Results.Problem(statusCode: 503, title: "Not ready", detail: r.Failure is { } f ? $"Model preload failed: {f}" : "Models are still loading."))
            .WithTags("Health").WithName("Ready");
    }
}
