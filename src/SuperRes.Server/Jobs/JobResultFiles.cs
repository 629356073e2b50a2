using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs;

/// <summary>
/// Finished in-process jobs' results, on disk rather than on the managed heap: a busy hour of results costs
/// disk, not memory, and is streamed to clients. Bounded in bytes as well as by the jobs' time to live, and fairly:
/// past its share (<see cref="ServerOptions.ResultBytesPerClient"/>) a client's own oldest results go, and past
/// <see cref="ServerOptions.JobResultsMaxBytes"/> the oldest results of the client holding most, so one client
/// flooding the server cannot push another's results out before their time. Each server gets a folder
/// of its own (in-process jobs die with it), removed when it stops; folders left by servers that crashed are
/// removed when the next one starts. File names are job ids (random hex).
/// </summary>
public sealed class JobResultFiles : IDisposable
{
    private readonly Lock sync = new();
    private readonly LinkedList<Entry> order = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> byClient = new(StringComparer.Ordinal);
    private readonly long maxBytes;
    private readonly long perClient;
    private long total;

    private sealed record Entry(string Id, string Path, long Size, string Client);

    public JobResultFiles(IOptions<ServerOptions> options, ServerMetrics metrics)
    {
        metrics.Observe("job_result_bytes", "Bytes of finished jobs' results kept on disk.", () => TotalBytes);
        var o = options.Value;
        maxBytes = o.JobResultsMaxBytes;
        perClient = o.ResultBytesPerClient;
        var parent = o.JobResultsDirectory ?? Path.Combine(Path.GetTempPath(), "superres-jobs");
        RemoveOrphans(parent);
        Folder = Path.Combine(parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next server's orphan sweep.
        }
    }

    /// <summary>Deletes the folders of servers that are no longer running (named after their process id).</summary>
    private static void RemoveOrphans(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            var name = Path.GetFileName(folder);
            int dash = name.IndexOf('-');
            if (dash > 0 && int.TryParse(name[..dash], out int pid) && !IsRunning(pid))
            {
                TryDeleteFolder(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public string Folder { get; }

    /// <summary>Writes a result (to a temporary name, then renamed, so a reader never sees half a file).</summary>
    /// <param name="client">Whose result it is (<see cref="UpscaleParameters.Client"/>): its share of the space.</param>
    public void Save(string id, string extension, Stream data, string client = "")
    {
        var path = Path.Combine(Folder, id + extension);
        var tmp = path + ".tmp";
        long size;
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            data.CopyTo(file);
            size = file.Length;
        }
        File.Move(tmp, path, overwrite: true);
        var evicted = new List<string>();
        lock (sync)
        {
            RemoveLocked(id);
            var added = byId[id] = order.AddLast(new Entry(id, path, size, client));
            total += size;
            byClient[client] = byClient.GetValueOrDefault(client) + size;
            // Over its share, the client's own oldest go; over the whole cap, the oldest of whoever holds most.
            while (byClient[client] > perClient && Oldest(client, added) is { } own)
            {
                evicted.Add(own.Path);
                RemoveLocked(own.Id);
            }
            while (total > maxBytes && Oldest(byClient.MaxBy(c => c.Value).Key, added) is { } largest)
            {
                evicted.Add(largest.Path);
                RemoveLocked(largest.Id);
            }
        }
        evicted.ForEach(TryDelete);
    }

    /// <summary>The result to stream, or null once it is gone (expired or evicted).</summary>
    public Stream? Open(string id)
    {
        string? path;
        lock (sync)
        {
            path = byId.TryGetValue(id, out var node) ? node.Value.Path : null;
        }
        try
        {
            // An open handle keeps the bytes readable even if the file is deleted meanwhile.
            return path is null ? null : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string id)
    {
        string? path = null;
        lock (sync)
        {
            if (byId.TryGetValue(id, out var node))
            {
                path = node.Value.Path;
                RemoveLocked(id);
            }
        }
        if (path is not null)
        {
            TryDelete(path);
        }
    }

    public long TotalBytes
    {
        get
        {
            lock (sync)
            {
                return total;
            }
        }
    }

    /// <summary>The client's oldest result other than <paramref name="keep"/> (the one being saved), or null.</summary>
    private Entry? Oldest(string client, LinkedListNode<Entry> keep)
    {
        for (var node = order.First; node is not null; node = node.Next)
        {
            if (node != keep && node.Value.Client == client)
            {
                return node.Value;
            }
        }
        return null;
    }

    private void RemoveLocked(string id)
    {
        if (byId.Remove(id, out var node))
        {
            order.Remove(node);
            total -= node.Value.Size;
            if ((byClient[node.Value.Client] -= node.Value.Size) <= 0)
            {
                byClient.Remove(node.Value.Client);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already, or the disk is failing: the entry is forgotten either way.
        }
    }
}
