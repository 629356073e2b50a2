namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>Which job events a webhook receives.</summary>
[Flags]
public enum WebhookEvents
{
    None = 0,

    /// <summary>The job succeeded.</summary>
    Completed = 1,

    /// <summary>The job failed or was canceled.</summary>
    Failed = 2,

    /// <summary>At most one per tenth of the work done.</summary>
    Progress = 4,
}

/// <summary>Where a job's events are posted, and which ones (form fields <c>webhook</c> and <c>webhook_events</c>).</summary>
public sealed record WebhookTarget(Uri Url, WebhookEvents Events)
{
    public const WebhookEvents DefaultEvents = WebhookEvents.Completed | WebhookEvents.Failed;

    public string EventList => string.Join(",", Enum.GetValues<WebhookEvents>().Where(e => e != WebhookEvents.None && Events.HasFlag(e)).Select(Name));

    public bool Wants(string eventName) => Parse(eventName) is { } e && Events.HasFlag(e);

    /// <summary>An absolute http(s) URL and a comma-separated event list; the error says what is wrong, else null.</summary>
    public static (WebhookTarget? Target, string? Error) TryCreate(string url, string? events)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
        {
            return (null, "webhook must be an absolute http or https URL without credentials.");
        }
        var wanted = WebhookEvents.None;
        foreach (var name in (string.IsNullOrWhiteSpace(events) ? "completed,failed" : events).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse(name) is not { } e)
            {
                return (null, $"webhook_events takes completed, failed and progress, not \"{name}\".");
            }
            wanted |= e;
        }
        return (new WebhookTarget(uri, wanted == WebhookEvents.None ? DefaultEvents : wanted), null);
    }

    /// <summary>The event a job's final status sends.</summary>
    public static string EventFor(JobStatus status) => status == JobStatus.Succeeded ? "completed" : "failed";

    private static WebhookEvents? Parse(string name) => name.ToLowerInvariant() switch
    {
        "completed" => WebhookEvents.Completed,
        "failed" => WebhookEvents.Failed,
        "progress" => WebhookEvents.Progress,
        _ => null,
    };

    private static string Name(WebhookEvents e) => e.ToString().ToLowerInvariant();
}

/// <summary>How a job's webhook has fared: pending, delivered, failed (attempts used up) or refused (a private address).</summary>
public sealed record WebhookState(string Url, string Events, string Status = "pending", int Attempts = 0, string? Detail = null);
