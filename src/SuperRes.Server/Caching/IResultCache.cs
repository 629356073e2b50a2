using SuperRes.Server.Jobs;

namespace SuperRes.Server.Caching;

/// <summary>Upscaled results by key: <see cref="ResultCache"/> on this machine's disk, <see cref="SharedResultCache"/> across nodes.</summary>
public interface IResultCache
{
    Task<UpscaleOutcome?> GetAsync(string key, CancellationToken ct);

    Task PutAsync(string key, UpscaleOutcome outcome, CancellationToken ct);
}
