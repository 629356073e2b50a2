using System.Diagnostics.Metrics;
using Prometheus;

namespace SuperRes.Server.Observability;

/// <summary>
/// The host's own Prometheus registry: the <see cref="ServerMetrics"/> meter of this host's <see cref="IMeterFactory"/>
/// (through <see cref="MeterBridge"/>), HTTP request metrics and the process's numbers. Not the process-wide default
/// registry, so two hosts in one process (the tests) never see each other's counts.
/// </summary>
public sealed class PrometheusExport : IDisposable
{
    private readonly MeterBridge bridge;

    public PrometheusExport(IMeterFactory meters)
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        // Started before any request, so no measurement is recorded before anyone listens.
        bridge = new MeterBridge(Registry, i => i.Meter.Name == ServerMetrics.MeterName && ReferenceEquals(i.Meter.Scope, meters), ServerMetrics.BucketsFor);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => bridge.Dispose();
}
