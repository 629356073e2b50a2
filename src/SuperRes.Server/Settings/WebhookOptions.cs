using System.ComponentModel.DataAnnotations;
using SuperRes.Imaging;

namespace SuperRes.Server.Settings;

/// <summary>Job events posted to a client's URL (section "Webhooks"): off without a secret.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    /// <summary>Key that signs webhook deliveries (HMAC-SHA256); webhooks are off without one. Every node of a scale-out needs the same.</summary>
    [MinLength(16)]
    public string? Secret { get; set; }

    /// <summary>Hosts a webhook may reach although they resolve to loopback, private or link-local addresses.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; each later one waits twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>No retry starts later than this after the first attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Placeholders.Is(Secret))
        {
            yield return new ValidationResult("Webhooks:Secret is still the example's placeholder; set it to a secret of your own (openssl rand -hex 32).",
                [nameof(Secret)]);
        }
    }
}
