using SuperRes.Server.Pipeline;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs;

/// <summary>A job as submitted: the upscale it asks for, and where its events go (if anywhere).</summary>
public sealed record JobRequest(UpscaleParameters Upscale, Webhooks.WebhookTarget? Webhook = null)
{
    /// <summary>Everything that makes two submissions the same request (for Idempotency-Key): the input, the result's
    /// parameters, and where its events go.</summary>
    public string Fingerprint(byte[] input) =>
        ResultKey.For(input, $"{Upscale.Describe()}|{Webhook?.Url}|{Webhook?.EventList}");
}
