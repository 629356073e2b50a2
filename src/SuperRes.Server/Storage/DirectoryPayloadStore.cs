namespace SuperRes.Server.Storage;

/// <summary>
/// Payloads as files in a folder every node mounts (keeps large images out of Redis's memory). A file's
/// expiry is its last-write time moved forward by its time to live; expired files read as missing and
/// are deleted by <see cref="Sweep"/>, with the half-written files of writers that died (their names carry when they
/// were started: <c>KEY.SECONDS.GUID.tmp</c>).
/// </summary>
public sealed class DirectoryPayloadStore(string folder, TimeProvider clock) : IPayloadStore, ISweeper
{
    public async Task PutAsync(string key, ReadOnlyMemory<byte> data, TimeSpan timeToLive, CancellationToken ct)
    {
        var path = PathOf(key);
        var tmp = $"{path}.{clock.GetUtcNow().ToUnixTimeSeconds()}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(tmp, data, ct);
            File.SetLastWriteTimeUtc(tmp, (clock.GetUtcNow() + timeToLive).UtcDateTime); // the mtime holds the expiry
            File.Move(tmp, path, overwrite: true); // readers see the old file or the whole new one
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw Unavailable(e);
        }
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
        catch (Exception e) when (e is FileNotFoundException || (e is DirectoryNotFoundException && Directory.Exists(folder)))
        {
            return null; // missing or expired; a missing folder, though, is an outage
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(e);
        }
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            if (File.GetLastWriteTimeUtc(path) < clock.GetUtcNow().UtcDateTime)
            {
                return Task.FromResult<Stream?>(null);
            }
            // An open handle keeps the bytes readable even if the file expires and is swept while they are sent.
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException || (e is DirectoryNotFoundException && Directory.Exists(folder)))
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(e);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        try
        {
            File.Delete(PathOf(key)); // no error when already gone
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(e);
        }
        return Task.CompletedTask;
    }

    private PayloadStoreUnavailableException Unavailable(Exception e) =>
        new($"The shared payload folder {folder} cannot be used: {e.Message}", e);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes expired payloads; any node may run it.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        try
        {
            return SweepExpired();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(e);
        }
    }

    private int SweepExpired()
    {
        int removed = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        long abandoned = clock.GetUtcNow().ToUnixTimeSeconds() - (long)AbandonedAfter.TotalSeconds;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            bool tmp = file.Name.EndsWith(".tmp", StringComparison.Ordinal);
            if (tmp ? StartedAt(file.Name) < abandoned : file.LastWriteTimeUtc < now)
            {
                file.Delete();
                removed++;
            }
        }
        return removed;
    }

    /// <summary>A write takes seconds: a temporary file this old belongs to a writer that died (an aborted upload).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);

    /// <summary>When the writer of "KEY.SECONDS.GUID.tmp" started; 0 (long ago) for any other name.</summary>
    private static long StartedAt(string name)
    {
        var parts = name.Split('.');
        return parts.Length >= 4 && long.TryParse(parts[^3], out long seconds) ? seconds : 0;
    }

    // Keys look like "input:<hex>" or "result:<hex>": made by the server, so safe as relative paths.
    private string PathOf(string key) => Path.Combine(folder, key.Replace(':', Path.DirectorySeparatorChar));
}
