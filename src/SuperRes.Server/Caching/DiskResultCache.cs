using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Server.Jobs;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Caching;

/// <summary>
/// Upscaled results on disk, least recently used evicted first once the size cap is passed. The key
/// (SHA-256 of the input + model + scale + output options) is hashed again into the file name, so no
/// client-supplied text ever reaches the file system.
/// </summary>
public sealed class DiskResultCache : IResultCache
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly long maxBytes;
    private long totalBytes;

    public DiskResultCache(IOptions<ServerOptions> options, ServerMetrics metrics)
    {
        metrics.Observe("cache_bytes", "Bytes held by the result cache.", () => { lock (sync) { return totalBytes; } });
        var o = options.Value;
        maxBytes = o.Cache.MaxBytes;
        Folder = o.Cache.Directory ?? Path.Combine(Path.GetDirectoryName(new ModelStore(o.ModelStore).Root)!, "results");
        if (maxBytes <= 0)
        {
            return;
        }
        Directory.CreateDirectory(Folder);
        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles("*.*"))
        {
            if (file.Extension == ".tmp")
            {
                // Half-written by a process that died mid-write; a live writer renames its file within seconds.
                if (file.LastWriteTimeUtc < DateTime.UtcNow.AddMinutes(-10))
                {
                    TryDelete(file.FullName);
                }
                continue;
            }
            if (ImageFormats.Parse(file.Extension) is null)
            {
                continue;
            }
            entries[Path.GetFileNameWithoutExtension(file.Name)] = new Entry(file.FullName, file.Length, file.LastAccessTimeUtc.Ticks);
            totalBytes += file.Length;
        }
    }

    public string Folder { get; }

    public Task<UpscaleOutcome?> GetAsync(string key, CancellationToken ct) => Task.FromResult(TryGet(key, out var o) ? o : null);

    public Task<bool> PutAsync(string key, UpscaleOutcome outcome, CancellationToken ct) => Task.FromResult(Put(key, outcome));

    public bool TryGet(string key, out UpscaleOutcome outcome)
    {
        outcome = null!;
        if (maxBytes <= 0)
        {
            return false;
        }
        var name = FileName(key);
        Entry? entry;
        lock (sync)
        {
            if (!entries.TryGetValue(name, out entry))
            {
                return false;
            }
            entry.LastUse = DateTime.UtcNow.Ticks;
        }
        try
        {
            // Streamed from the file: a hit costs no copy of the image on the heap. The handle keeps the bytes
            // readable even if the entry is evicted while they are sent.
            var file = new FileStream(entry.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            Span<byte> head = stackalloc byte[16];
            int read = file.Read(head);
            file.Position = 0;
            if (ImageFormats.Detect(head[..read]) is not { } format)
            {
                file.Dispose();
                Remove(name); // damaged: treat as a miss
                return false;
            }
            outcome = UpscaleOutcome.FromStorage(file, ImageFormats.MediaType(format), ImageFormats.Extension(format), cacheHit: true) with { Stored = true };
            return true;
        }
        catch (IOException)
        {
            Remove(name); // evicted by another process: a miss
            return false;
        }
    }

    public bool Put(string key, UpscaleOutcome outcome)
    {
        if (maxBytes <= 0 || outcome.Data.Length > maxBytes)
        {
            return false;
        }
        var name = FileName(key);
        var path = Path.Combine(Folder, name + outcome.Extension);
        var tmp = path + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(tmp, outcome.Data);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp); // a full disk must not also leave half a file behind
            throw;
        }
        lock (sync)
        {
            if (entries.Remove(name, out var old))
            {
                totalBytes -= old.Size;
            }
            entries[name] = new Entry(path, outcome.Data.Length, DateTime.UtcNow.Ticks);
            totalBytes += outcome.Data.Length;
            while (totalBytes > maxBytes && entries.Count > 1)
            {
                var oldest = entries.MinBy(e => e.Value.LastUse);
                entries.Remove(oldest.Key);
                totalBytes -= oldest.Value.Size;
                TryDelete(oldest.Value.Path);
            }
        }
        return true;
    }

    private void Remove(string name)
    {
        lock (sync)
        {
            if (entries.Remove(name, out var e))
            {
                totalBytes -= e.Size;
                TryDelete(e.Path);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    // Keys are already hashes (ResultKey); hashing once more keeps file names fixed-length whatever a caller passes.
    private static string FileName(string key) => ResultKey.Hash(key);

    private sealed class Entry(string path, long size, long lastUse)
    {
        public string Path { get; } = path;

        public long Size { get; } = size;

        public long LastUse { get; set; } = lastUse;
    }
}
