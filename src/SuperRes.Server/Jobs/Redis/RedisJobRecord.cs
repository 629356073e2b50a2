using System.Globalization;
using StackExchange.Redis;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>Reads a job's Redis hash (field names as the scripts in <see cref="RedisScripts"/> write them).</summary>
public static class RedisJobRecord
{
    public static JobSnapshot? ToSnapshot(string id, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }
        var f = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        string? Get(string name) => f.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        return new JobSnapshot(
            id,
            ParseStatus(Get("status")),
            double.Parse(Get("progress") ?? "0", CultureInfo.InvariantCulture),
            Get("model") ?? "",
            int.Parse(Get("scale") ?? "0", CultureInfo.InvariantCulture),
            Time(Get("created")) ?? DateTimeOffset.UnixEpoch,
            Time(Get("started")),
            Time(Get("finished")),
            Get("cacheHit") is { } hit ? hit == "1" : null,
            Get("error"),
            Get("errorStatus") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null,
            Get("worker"),
            int.Parse(Get("attempts") ?? "0", CultureInfo.InvariantCulture),
            Warning: Get("warning"),
            Webhook: Get("webhook") is { } url
                ? new Webhooks.WebhookState(url, Get("webhookEvents") ?? "", Get("webhookStatus") ?? "pending",
                    int.Parse(Get("webhookAttempts") ?? "0", CultureInfo.InvariantCulture), Get("webhookDetail"))
                : null,
            Restore: Get("restoreStrength") is { } strength
                ? new Restoration.RestoreChoice(double.Parse(strength, CultureInfo.InvariantCulture), Get("restoreBasis") ?? "", Get("restoreAuto") == "1")
                : null)
        {
            Owner = Get("owner") ?? "",
        };
    }

    public static string Time(DateTimeOffset t) => t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(string? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ms, CultureInfo.InvariantCulture));

    private static JobStatus ParseStatus(string? s) => s switch
    {
        "queued" => JobStatus.Queued,
        "running" => JobStatus.Running,
        "succeeded" => JobStatus.Succeeded,
        "failed" => JobStatus.Failed,
        _ => JobStatus.Canceled,
    };

    public static string Name(JobStatus s) => s.ToString().ToLowerInvariant();
}
