using System.Collections.Concurrent;

namespace SuperRes.Inference;

/// <summary>
/// A fixed set of engines for one model and scale, shared by every tile and image in flight.
/// Engines are created on first need (up to <see cref="Size"/>) and reused for the life of the pool.
/// </summary>
public sealed class EnginePool : IDisposable
{
    private readonly Func<ISuperResEngine> factory;
    private readonly ConcurrentBag<ISuperResEngine> idle = new();
    private readonly ConcurrentBag<ISuperResEngine> all = new();
    private readonly SemaphoreSlim slots;
    private readonly Lock createLock = new();
    private bool disposed;

    /// <param name="first">An engine made already (the one <see cref="EngineFactory.Choose"/> measured), which the pool
    /// takes over as its first.</param>
    public EnginePool(Func<ISuperResEngine> factory, int size, int scale, ISuperResEngine? first = null)
    {
        this.factory = factory;
        Size = Math.Max(1, size);
        Scale = scale;
        slots = new SemaphoreSlim(Size, Size);
        if (first is not null)
        {
            all.Add(first);
            idle.Add(first);
        }
    }

    public int Size { get; }

    public int Scale { get; }

    /// <summary>Whether tiles should be padded to one shape for these engines (see <see cref="ISuperResEngine.PrefersFixedShape"/>).</summary>
    public bool PrefersFixedShape => all.Any(e => e.PrefersFixedShape);

    /// <summary>Whether these engines re-plan per input shape at all (so padding to one shape is possible to ask for).</summary>
    public bool ReplansPerShape => all.Any(e => e.ReplansPerShape);

    /// <summary>Initialisations of all the pool's engines so far: one per engine when every tile has one shape.</summary>
    public long Initializations => all.Sum(e => e.Initializations);

    /// <summary>Time spent inside engine calls, summed over the pool's engines: what the runtime itself took, so a
    /// benchmark can tell the pipeline's own share from it.</summary>
    public TimeSpan BusyTime => TimeSpan.FromTicks(Interlocked.Read(ref busyTicks));

    private long busyTicks;

    /// <summary>Creates the first engine now so load errors and load time surface before any work.</summary>
    public void Warm() => RunAsync(_ => 0, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="work"/> on an engine of its own, once one is free.</summary>
    public async Task<T> RunAsync<T>(Func<ISuperResEngine, T> work, CancellationToken ct)
    {
        await slots.WaitAsync(ct).ConfigureAwait(false);
        ISuperResEngine? engine = null;
        try
        {
            engine = TakeOrCreate();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return work(engine);
            }
            finally
            {
                Interlocked.Add(ref busyTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
            }
        }
        finally
        {
            if (engine is not null)
            {
                idle.Add(engine);
            }
            slots.Release();
        }
    }

    private ISuperResEngine TakeOrCreate()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (idle.TryTake(out var engine))
        {
            return engine;
        }
        lock (createLock)
        {
            var created = factory();
            all.Add(created);
            return created;
        }
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var e in all)
        {
            e.Dispose();
        }
        slots.Dispose();
    }
}
