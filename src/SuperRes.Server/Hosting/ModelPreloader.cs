using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Hosting;

/// <summary>Loads the configured models once at start-up (fetching them on first use), logs each load time, then reports ready.</summary>
public sealed class ModelPreloader(Upscaler upscaler, Readiness readiness, IOptions<ServerOptions> options, ILogger<ModelPreloader> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var o = options.Value;
            var preload = o.Preload.Count > 0 ? o.Preload : [$"{o.DefaultModel ?? SuperRes.Models.ModelCatalog.DefaultModel}:{o.DefaultScale}"];
            foreach (var entry in preload)
            {
                var (name, scale) = Parse(entry, options.Value.DefaultScale);
                var loaded = await upscaler.LoadAsync(name, scale, null, stoppingToken);
                // One tile pays the runtime's one-off initialisation (0.5-1 s for OpenCV DNN) before the first request does.
                var warm = Stopwatch.StartNew();
                await upscaler.WarmUpAsync(loaded, stoppingToken);
                log.LogInformation("Loaded {Model} x{Scale} on {Engine} in {Seconds:0.000} s, warmed up in {Warm:0.000} s",
                    loaded.Model.Name, loaded.Model.Scale, loaded.Engine, loaded.LoadTime.TotalSeconds, warm.Elapsed.TotalSeconds);
            }
            readiness.MarkReady();
            log.LogInformation("Ready");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            readiness.MarkFailed(e.Message);
            log.LogError("Model preload failed: {Reason}", e.Message);
        }
    }

    public static (string Name, int Scale) Parse(string entry, int defaultScale)
    {
        var parts = entry.Split(':', 2);
        return (parts[0], parts.Length == 2 && int.TryParse(parts[1], out var s) ? s : defaultScale);
    }
}
