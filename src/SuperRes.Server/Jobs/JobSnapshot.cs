namespace SuperRes.Server.Jobs;

/// <summary>A job's state at one moment, the same whichever queue holds it (in-process or Redis).</summary>
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
    Webhooks.WebhookState? Webhook = null)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;
}
