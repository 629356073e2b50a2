using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SuperRes.Server.Hosting;

namespace SuperRes.Server.Api;

/// <summary>/healthz: the process answers. /readyz: the preloaded models are loaded.</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).WithTags("Health").WithName("Health");
        app.MapGet("/readyz", (Readiness r, IServiceProvider services) =>
            {
                if (!r.IsReady)
                {
                    return Results.Problem(statusCode: 503, title: "Not ready", detail: r.Failure is { } f ? $"Model preload failed: {f}" : "Models are still loading.");
                }
                return services.GetService<IConnectionMultiplexer>() is { IsConnected: false }
                    ? Results.Problem(statusCode: 503, title: "Not ready", detail: "The shared job queue (Redis) is unreachable.")
                    : Results.Ok(new { status = "ready" });
            })
            .WithTags("Health").WithName("Ready");
    }
}
