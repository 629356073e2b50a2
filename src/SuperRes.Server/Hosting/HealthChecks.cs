using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace SuperRes.Server.Hosting;

/// <summary>What /readyz checks (health checks tagged "ready"): the preloaded models are loaded, and Redis, when the
/// server uses it, is reachable. /healthz runs none: the process answering is its liveness.</summary>
public static class HealthChecks
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddSuperResHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ModelsLoaded>("models", tags: [ReadyTag])
            .AddCheck<RedisReachable>("redis", tags: [ReadyTag]);
        return services;
    }

    private sealed class ModelsLoaded(Readiness readiness) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) => Task.FromResult(
            readiness.IsReady ? HealthCheckResult.Healthy("The preloaded models are loaded.")
            : readiness.Failure is { } f ? HealthCheckResult.Unhealthy($"Model preload failed: {f}")
            : HealthCheckResult.Unhealthy("Models are still loading."));
    }

    private sealed class RedisReachable(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) => Task.FromResult(
            services.GetService<IConnectionMultiplexer>() switch
            {
                null => HealthCheckResult.Healthy("No shared queue: jobs run in this process."),
                { IsConnected: true } => HealthCheckResult.Healthy("The shared job queue (Redis) is reachable."),
                _ => HealthCheckResult.Unhealthy("The shared job queue (Redis) is unreachable."),
            });
    }
}
