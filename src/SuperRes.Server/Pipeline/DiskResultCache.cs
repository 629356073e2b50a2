using SuperRes.Imaging;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Pipeline;

/// <summary>
/// Upscaled results on this machine's disk: the loose entries of the server's <see cref="BoundedFileStore"/>, least
/// recently used evicted first past Cache:MaxBytes. Finished jobs hold their entries in the same store, so a job's result
/// that is also cached exists once.
/// </summary>
public sealed class DiskResultCache(BoundedFileStore files) : IResultCache
{
    public Task<UpscaleOutcome?> GetAsync(string key, CancellationToken ct)
    {
        if (files.Open(key) is not { } file)
        {
            return Task.FromResult<UpscaleOutcome?>(null);
        }
        Span<byte> head = stackalloc byte[16];
        int read = file.Read(head);
        file.Position = 0;
        if (ImageFormats.Detect(head[..read]) is not { } format)
        {
            file.Dispose();
            files.Remove(key); // damaged: a miss, overwritten by the next run
            return Task.FromResult<UpscaleOutcome?>(null);
        }
        return Task.FromResult<UpscaleOutcome?>(
            UpscaleOutcome.FromStorage(file, ImageFormats.MediaType(format), ImageFormats.Extension(format), cacheHit: true) with { Key = key, Stored = true });
    }

    public Task<bool> PutAsync(string key, UpscaleOutcome outcome, CancellationToken ct)
    {
        outcome.Content.Position = 0;
        bool stored = files.Put(key, outcome.Extension, outcome.Content);
        outcome.Content.Position = 0;
        return Task.FromResult(stored);
    }
}
