using System.ComponentModel.DataAnnotations;
using SuperRes.Imaging;

namespace SuperRes.Server.Settings;

/// <summary>Who may use the server (section "Security"): API keys, other sites' pages, /metrics.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    /// <summary>API keys; when any is set, every /api request needs one (Authorization: Bearer KEY or X-Api-Key).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Other sites' origins (scheme://host[:port]) whose pages may post to this server from a browser.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>With API keys set, /metrics needs one too, unless this is true (a scraper on a trusted network).</summary>
    public bool PublicMetrics { get; set; }

    /// <summary>The example settings file's placeholders would make a key everyone knows.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (int i = 0; i < ApiKeys.Count; i++)
        {
            if (Placeholders.Is(ApiKeys[i]))
            {
                yield return new ValidationResult($"Security:ApiKeys:{i} is still the example's placeholder; set it to a secret of your own (openssl rand -hex 16).",
                    [$"{nameof(ApiKeys)}:{i}"]);
            }
        }
    }
}
