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

    public Task<T> RunAsync<T>(Func<ISuperResEngine, T> work, CancellationToken ct) =>
        RunAsync(static () => NoInput.Value, (engine, _) => work(engine), ct);

    /// <summary>Runs <paramref name="work"/> on an engine with an input that <paramref name="prepare"/> makes only once an
    /// engine is free, so the inputs of tiles still waiting are not all held at once (a 10000-pixel-wide row is 40 tiles).
    /// The input is disposed after the work; its making is not counted in <see cref="BusyTime"/>.</summary>
    public async Task<T> RunAsync<TInput, T>(Func<TInput> prepare, Func<ISuperResEngine, TInput, T> work, CancellationToken ct)
        where TInput : IDisposable
    {
        await slots.WaitAsync(ct).ConfigureAwait(false);
        ISuperResEngine? engine = null;
        try
        {
            using var input = prepare();
            engine = TakeOrCreate();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return work(engine, input);
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

    private sealed class NoInput : IDisposable
    {
        public static readonly NoInput Value = new();

        public void Dispose()
        {
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
