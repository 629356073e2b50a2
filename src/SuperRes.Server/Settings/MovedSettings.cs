using Microsoft.Extensions.Configuration;

namespace SuperRes.Server.Settings;

/// <summary>
/// Settings that moved into sections keep working under their old flat names (SuperRes:MaxUploadBytes is read as
/// SuperRes:Limits:MaxUploadBytes), unless the new name is set too; start-up says what each became.
/// </summary>
public static class MovedSettings
{
    public static readonly IReadOnlyDictionary<string, string?> Map = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["MaxUploadBytes"] = "Limits:MaxUploadBytes",
        ["MaxMegapixels"] = "Limits:MaxMegapixels",
        ["Oversize"] = "Limits:Oversize",
        ["MaxDecodeMegapixels"] = "Limits:MaxDecodeMegapixels",
        ["MaxOutputMegapixels"] = "Limits:MaxOutputMegapixels",
        ["MaxIccProfileBytes"] = "Limits:MaxIccProfileBytes",
        ["MaxMetadataBytes"] = "Limits:MaxMetadataBytes",
        ["MaxJobSeconds"] = "Limits:MaxJobSeconds",
        ["MemoryBudgetBytes"] = "Limits:MemoryBudgetBytes",
        ["SyncMaxMegapixels"] = "Limits:SyncMaxMegapixels",
        ["SyncConcurrency"] = "Limits:SyncConcurrency",
        ["MaxUploadsInFlight"] = "Limits:MaxUploadsInFlight",
        ["MaxConnections"] = "Limits:MaxConnections",
        ["ApiKeys"] = "Security:ApiKeys",
        ["AllowedOrigins"] = "Security:AllowedOrigins",
        ["PublicMetrics"] = "Security:PublicMetrics",
        ["WebhookSecret"] = "Webhooks:Secret",
        ["AllowedWebhookHosts"] = "Webhooks:AllowedHosts",
        ["WebhookMaxAttempts"] = "Webhooks:MaxAttempts",
        ["WebhookRetryDelay"] = "Webhooks:RetryDelay",
        ["WebhookMaxRetryTime"] = "Webhooks:MaxRetryTime",
        ["WebhookTimeout"] = "Webhooks:Timeout",
        ["Workers"] = "Jobs:Workers",
        ["QueueCapacity"] = "Jobs:QueueCapacity",
        ["JobTimeToLive"] = "Jobs:TimeToLive",
        ["SweepInterval"] = "Jobs:SweepInterval",
        ["JobResultsMaxBytes"] = "Jobs:ResultsMaxBytes",
        ["JobResultsDirectory"] = null, // finished jobs' results live with the cache, in Cache:Directory
    };

    /// <summary>Reads every old name that is set as its new one, and returns a sentence per name for the log.</summary>
    public static IReadOnlyList<string> Apply(IConfigurationManager configuration)
    {
        var section = configuration.GetSection(ServerOptions.Section);
        var moved = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var notes = new List<string>();
        foreach (var (old, now) in Map)
        {
            var from = section.GetSection(old);
            if (from.Value is null && !from.GetChildren().Any())
            {
                continue;
            }
            if (now is null)
            {
                notes.Add($"{ServerOptions.Section}:{old} is no longer used: finished jobs' results live with the cache, in {ServerOptions.Section}:Cache:Directory.");
                continue;
            }
            notes.Add($"{ServerOptions.Section}:{old} is now {ServerOptions.Section}:{now}; the old name still works.");
            var to = section.GetSection(now);
            if (to.Value is not null || to.GetChildren().Any())
            {
                continue; // the new name wins
            }
            foreach (var (key, value) in from.AsEnumerable())
            {
                moved[$"{ServerOptions.Section}:{now}{key[from.Path.Length..]}"] = value;
            }
        }
        if (moved.Count > 0)
        {
            configuration.AddInMemoryCollection(moved);
        }
        return notes;
    }
}
