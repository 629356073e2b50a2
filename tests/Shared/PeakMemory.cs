namespace SuperRes.Testing;

/// <summary>
/// The process's peak resident memory as Linux counts it (VmHWM), with a reset: writing 5 to
/// /proc/self/clear_refs starts a new peak, so a test can measure what one piece of work cost at its worst,
/// native buffers included, without sampling. Tests that use it run alone (see <see cref="SerialCollection"/>).
/// </summary>
public static class PeakMemory
{
    public static void Reset() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static long PeakBytes => Read("VmHWM:");

    public static long ResidentBytes => Read("VmRSS:");

    /// <summary>Runs <paramref name="work"/> and returns how far the peak rose above the resident memory before it.</summary>
    public static long GrowthDuring(Action work) =>
        GrowthDuringAsync(() => { work(); return Task.CompletedTask; }).GetAwaiter().GetResult();

    /// <summary>The same for asynchronous work.</summary>
    public static async Task<long> GrowthDuringAsync(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Reset();
        long before = ResidentBytes;
        await work();
        return PeakBytes - before;
    }

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }
}

/// <summary>Tests whose memory or timing must not be shared with others: xunit runs this collection on its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Runs alone";
}
