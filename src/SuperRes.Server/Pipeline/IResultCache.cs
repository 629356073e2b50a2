
namespace SuperRes.Server.Pipeline;

/// <summary>Upscaled results by key: <see cref="DiskResultCache"/> on this machine's disk, <see cref="SharedResultCache"/> across nodes.</summary>
public interface IResultCache
{
    Task<UpscaleOutcome?> GetAsync(string key, CancellationToken ct);

    /// <returns>Whether the result was stored (false when the cache is off or the result too large for it).</returns>
    Task<bool> PutAsync(string key, UpscaleOutcome outcome, CancellationToken ct);
}
