using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SuperRes.Server.Api;

/// <summary>/healthz: the process answers (no checks). /readyz: every check tagged "ready" passes (models loaded, Redis
/// reachable); 503 otherwise, saying which failed and why.</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").WithName("Health");
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .WithTags("Health").WithName("Ready");
    }

    /// <summary>{"status": "ok" | "ready" | "unhealthy", "checks": {"models": "…", "redis": "…"}}.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var status = report.Status != HealthStatus.Healthy ? "unhealthy" : report.Entries.Count == 0 ? "ok" : "ready";
        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description);
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status, checks }));
    }
}
