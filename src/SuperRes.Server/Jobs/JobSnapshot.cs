using System.Text.Json.Serialization;

namespace SuperRes.Server.Jobs;

/// <summary>
/// A job's state at one moment, the same whichever queue holds it (in-process or Redis), and exactly what the API
/// shows of it (GET /api/v1/jobs/{id}, the event stream, webhook deliveries): one type, so the two cannot drift.
/// </summary>
public sealed record JobSnapshot(
    string Id,
    JobStatus Status,
    double Progress,
    string Model,
    int Scale,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool? CacheHit,
    string? Error,
    int? ErrorStatus,
    string? Worker = null,
    int Attempts = 0,
    string? Warning = null,
    Webhooks.WebhookState? Webhook = null,
    Restoration.RestoreChoice? Restore = null)
{
    /// <summary>Whose job it is: the API key id that submitted it ("" without keys). Never shown: another key gets 404.</summary>
    [JsonIgnore]
    public string Owner { get; init; } = "";

    [JsonIgnore]
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    /// <summary>Seconds from submission to start.</summary>
    public double? QueuedSeconds => StartedAt is { } s ? (s - CreatedAt).TotalSeconds : null;

    /// <summary>Seconds from start to the end.</summary>
    public double? RunSeconds => StartedAt is { } s && FinishedAt is { } f ? (f - s).TotalSeconds : null;

    public IReadOnlyDictionary<string, string> Links => new Dictionary<string, string>
    {
        ["self"] = $"/api/v1/jobs/{Id}",
        ["result"] = $"/api/v1/jobs/{Id}/result",
        ["events"] = $"/api/v1/jobs/{Id}/events",
    };
}
