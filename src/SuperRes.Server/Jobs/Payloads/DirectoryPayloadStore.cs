namespace SuperRes.Server.Jobs.Payloads;

/// <summary>
/// Payloads as files in a folder every node mounts (keeps large images out of Redis's memory). A file's
/// expiry is its last-write time moved forward by its time to live; expired files read as missing and
/// are deleted by <see cref="Sweep"/>.
/// </summary>
public sealed class DirectoryPayloadStore(string folder, TimeProvider clock) : IPayloadStore, ISweeper
{
    public async Task PutAsync(string key, byte[] data, TimeSpan timeToLive, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(tmp, data, ct);
        File.SetLastWriteTimeUtc(tmp, (clock.GetUtcNow() + timeToLive).UtcDateTime); // the mtime holds the expiry
        File.Move(tmp, path, overwrite: true); // readers see the old file or the whole new one
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            if (File.GetLastWriteTimeUtc(path) < clock.GetUtcNow().UtcDateTime)
            {
                return null;
            }
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        return Task.CompletedTask;
    }

    /// <summary>Deletes expired payloads; any node may run it.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        int removed = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.LastWriteTimeUtc < now && !file.Name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                file.Delete();
                removed++;
            }
        }
        return removed;
    }

    // Keys look like "input:<hex>" or "result:<hex>": made by the server, so safe as relative paths.
    private string PathOf(string key) => Path.Combine(folder, key.Replace(':', Path.DirectorySeparatorChar));
}
