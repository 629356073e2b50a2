using SuperRes.Server.Jobs;

namespace SuperRes.Server.Api;

/// <summary>What GET /api/v1/jobs/{id} and the event stream show of a job.</summary>
public sealed record JobView(
    string Id,
    JobStatus Status,
    double Progress,
    string Model,
    int Scale,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? QueuedSeconds,
    double? RunSeconds,
    bool? CacheHit,
    string? Error,
    int? ErrorStatus,
    string? Worker,
    int Attempts,
    string? Warning,
    Jobs.Webhooks.WebhookState? Webhook,
    IReadOnlyDictionary<string, string> Links)
{
    public static JobView From(JobSnapshot j)
    {
        var self = $"/api/v1/jobs/{j.Id}";
        return new JobView(j.Id, j.Status, Math.Round(j.Progress, 4), j.Model, j.Scale, j.CreatedAt, j.StartedAt, j.FinishedAt,
            j.StartedAt is { } s ? (s - j.CreatedAt).TotalSeconds : null,
            j.StartedAt is { } st && j.FinishedAt is { } f ? (f - st).TotalSeconds : null,
            j.CacheHit, j.Error, j.ErrorStatus, j.Worker, j.Attempts, j.Warning, j.Webhook,
            new Dictionary<string, string> { ["self"] = self, ["result"] = self + "/result", ["events"] = self + "/events" });
    }
}
