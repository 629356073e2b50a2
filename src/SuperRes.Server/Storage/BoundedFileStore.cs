namespace SuperRes.Server.Storage;

/// <summary>
/// Files by key in one folder, bounded in bytes: the result cache and finished jobs' results share it, so a job whose
/// result is also a cache entry has one copy on disk. An entry is either loose (a cache entry: kept while there is
/// room, least recently used evicted first past <see cref="StoreLimits.LooseBytes"/>) or held (a job's result: kept
/// until its holder lets go). Holds are bounded too, and fairly: past its share a holder's owner loses its own oldest
/// holds, past the total the owner holding most does, so one client cannot push another's results out before their time.
/// File names are hashes of the keys, so no client text reaches the file system; a file is written under a temporary
/// name and renamed, so a reader never sees half of one.
/// </summary>
public sealed class BoundedFileStore : IDisposable
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Hold> holds = new();
    private readonly Dictionary<string, LinkedListNode<Hold>> byHolder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> heldByOwner = new(StringComparer.Ordinal);
    private readonly StoreLimits limits;
    private long looseBytes, heldBytes;

    private sealed class Entry(string name, string path, long size)
    {
        public string Name { get; } = name;

        public string Path { get; } = path;

        public long Size { get; } = size;

        public long LastUse { get; set; } = DateTime.UtcNow.Ticks;

        public int Holds { get; set; }
    }

    private sealed record Hold(string Holder, string Owner, Entry Entry);

    /// <summary>A temporary file older than this was left by a writer that died (a live one renames within seconds).</summary>
    public static readonly TimeSpan StaleTemporary = TimeSpan.FromMinutes(10);

    /// <summary>Opens the folder; loose files left there (a cache kept across restarts) are indexed when loose entries are
    /// kept at all, and stale temporary files deleted.</summary>
    public BoundedFileStore(string folder, StoreLimits limits)
    {
        Folder = folder;
        this.limits = limits;
        Directory.CreateDirectory(folder);
        if (limits.LooseBytes <= 0)
        {
            return;
        }
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.*"))
        {
            if (file.Extension == ".tmp")
            {
                if (file.LastWriteTimeUtc < DateTime.UtcNow - StaleTemporary)
                {
                    TryDelete(file.FullName);
                }
                continue;
            }
            var name = System.IO.Path.GetFileNameWithoutExtension(file.Name);
            entries[name] = new Entry(name, file.FullName, file.Length) { LastUse = file.LastAccessTimeUtc.Ticks };
            looseBytes += file.Length;
        }
        Evict([]);
    }

    public string Folder { get; }

    public long LooseBytes
    {
        get
        {
            lock (sync)
            {
                return looseBytes;
            }
        }
    }

    public long HeldBytes
    {
        get
        {
            lock (sync)
            {
                return heldBytes;
            }
        }
    }

    /// <summary>Bytes on disk: every entry once, however many hold it.</summary>
    public long DiskBytes
    {
        get
        {
            lock (sync)
            {
                return entries.Values.Sum(e => e.Size);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> under <paramref name="key"/> (replacing what was there), held by
    /// <paramref name="holder"/> for <paramref name="owner"/> when given, else loose.
    /// </summary>
    /// <returns>Whether the entry is kept: false when it is loose and loose entries are not kept or it is larger than
    /// they may take.</returns>
    public bool Put(string key, string extension, Stream data, string? holder = null, string owner = "")
    {
        if (holder is null && (limits.LooseBytes <= 0 || data.CanSeek && data.Length - data.Position > limits.LooseBytes))
        {
            return false;
        }
        var name = ResultKey.Hash(key);
        var path = System.IO.Path.Combine(Folder, name + extension);
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
        long size;
        try
        {
            using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                data.CopyTo(file);
                size = file.Length;
            }
            if (holder is null && size > limits.LooseBytes)
            {
                TryDelete(tmp);
                return false;
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp); // a full disk must not also leave half a file behind
            throw;
        }
        var evicted = new List<string>();
        lock (sync)
        {
            var entry = new Entry(name, path, size);
            if (entries.Remove(name, out var old))
            {
                // Same key, same bytes: the holds move over to the new file.
                foreach (var h in holds.Where(h => h.Entry == old).ToList())
                {
                    byHolder[h.Holder].Value = h with { Entry = entry };
                }
                entry.Holds = old.Holds;
                if (old.Holds == 0)
                {
                    looseBytes -= old.Size;
                }
                else
                {
                    heldBytes += (size - old.Size) * old.Holds;
                }
                if (old.Path != path)
                {
                    evicted.Add(old.Path);
                }
            }
            entries[name] = entry;
            if (entry.Holds == 0)
            {
                looseBytes += size;
            }
            if (holder is not null)
            {
                HoldLocked(entry, holder, owner, evicted);
            }
            Evict(evicted);
        }
        evicted.ForEach(TryDelete);
        return holder is not null || entries.ContainsKey(name);
    }

    /// <summary>Holds the entry under <paramref name="key"/> for <paramref name="holder"/>; false when there is none.</summary>
    public bool TryHold(string key, string holder, string owner)
    {
        var evicted = new List<string>();
        lock (sync)
        {
            if (!entries.TryGetValue(ResultKey.Hash(key), out var entry) || !File.Exists(entry.Path))
            {
                return false;
            }
            HoldLocked(entry, holder, owner, evicted);
            Evict(evicted);
        }
        evicted.ForEach(TryDelete);
        return true;
    }

    /// <summary>Lets go of what <paramref name="holder"/> holds: the entry becomes loose (a cache entry) if nothing else
    /// holds it, and goes when there is no room for it.</summary>
    public void Release(string holder)
    {
        var evicted = new List<string>();
        lock (sync)
        {
            ReleaseLocked(holder);
            Evict(evicted);
        }
        evicted.ForEach(TryDelete);
    }

    /// <summary>The entry under <paramref name="key"/>, opened for reading (an open handle keeps the bytes readable if the
    /// entry is evicted meanwhile), or null.</summary>
    public Stream? Open(string key) => OpenEntry(lockedLookup: () => entries.GetValueOrDefault(ResultKey.Hash(key)));

    /// <summary>What <paramref name="holder"/> holds, opened for reading, or null once it is gone.</summary>
    public Stream? OpenHeld(string holder) => OpenEntry(lockedLookup: () => byHolder.TryGetValue(holder, out var h) ? h.Value.Entry : null);

    /// <summary>Forgets the entry under <paramref name="key"/> and deletes its file (a damaged cache entry), unless it is held.</summary>
    public void Remove(string key)
    {
        string? path = null;
        lock (sync)
        {
            if (entries.TryGetValue(ResultKey.Hash(key), out var entry) && entry.Holds == 0)
            {
                entries.Remove(entry.Name);
                looseBytes -= entry.Size;
                path = entry.Path;
            }
        }
        if (path is not null)
        {
            TryDelete(path);
        }
    }

    /// <summary>Every hold let go: what was held stays as loose entries where there is room (the cache outlives the server).</summary>
    public void Dispose()
    {
        var evicted = new List<string>();
        lock (sync)
        {
            foreach (var holder in byHolder.Keys.ToList())
            {
                ReleaseLocked(holder);
            }
            Evict(evicted);
        }
        evicted.ForEach(TryDelete);
    }

    private Stream? OpenEntry(Func<Entry?> lockedLookup)
    {
        Entry? entry;
        lock (sync)
        {
            entry = lockedLookup();
            if (entry is not null)
            {
                entry.LastUse = DateTime.UtcNow.Ticks;
            }
        }
        try
        {
            return entry is null ? null : new FileStream(entry.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (IOException)
        {
            return null; // deleted by another server sharing the folder: gone
        }
    }

    private void HoldLocked(Entry entry, string holder, string owner, List<string> evicted)
    {
        ReleaseLocked(holder);
        if (entry.Holds++ == 0)
        {
            looseBytes -= entry.Size;
        }
        var added = byHolder[holder] = holds.AddLast(new Hold(holder, owner, entry));
        heldBytes += entry.Size;
        heldByOwner[owner] = heldByOwner.GetValueOrDefault(owner) + entry.Size;
        // Over its share, the owner's own oldest go; over the whole, the oldest of whoever holds most.
        while (heldByOwner[owner] > limits.HeldBytesPerOwner && OldestOf(owner, added) is { } own)
        {
            ReleaseLocked(own.Holder);
        }
        while (heldBytes > limits.HeldBytes && OldestOf(heldByOwner.MaxBy(o => o.Value).Key, added) is { } largest)
        {
            ReleaseLocked(largest.Holder);
        }
    }

    private void ReleaseLocked(string holder)
    {
        if (!byHolder.Remove(holder, out var node))
        {
            return;
        }
        holds.Remove(node);
        var (_, owner, entry) = node.Value;
        heldBytes -= entry.Size;
        if ((heldByOwner[owner] -= entry.Size) <= 0)
        {
            heldByOwner.Remove(owner);
        }
        if (--entry.Holds == 0 && entries.TryGetValue(entry.Name, out var current) && current == entry)
        {
            entry.LastUse = DateTime.UtcNow.Ticks;
            looseBytes += entry.Size;
        }
    }

    /// <summary>Loose entries past their room go, least recently used first (their files are deleted by the caller,
    /// outside the lock).</summary>
    private void Evict(List<string> evicted)
    {
        while (looseBytes > Math.Max(0, limits.LooseBytes)
               && entries.Values.Where(e => e.Holds == 0).MinBy(e => e.LastUse) is { } oldest)
        {
            entries.Remove(oldest.Name);
            looseBytes -= oldest.Size;
            evicted.Add(oldest.Path);
        }
    }

    private Hold? OldestOf(string owner, LinkedListNode<Hold> keep)
    {
        for (var node = holds.First; node is not null; node = node.Next)
        {
            if (node != keep && node.Value.Owner == owner)
            {
                return node.Value;
            }
        }
        return null;
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

/// <summary>How much a <see cref="BoundedFileStore"/> keeps.</summary>
/// <param name="LooseBytes">Loose entries (the cache); 0 keeps none.</param>
/// <param name="HeldBytes">Held entries, counted once per hold.</param>
/// <param name="HeldBytesPerOwner">One owner's share of <paramref name="HeldBytes"/>.</param>
public sealed record StoreLimits(long LooseBytes, long HeldBytes, long HeldBytesPerOwner);
