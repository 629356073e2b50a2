using System.Runtime.CompilerServices;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Inference;

namespace SuperRes.Tiling;

/// <summary>
/// Runs an image through an engine pool tile by tile and blends the overlaps. Tiles of one row run
/// concurrently on the pool; rows finish in order, and output is streamed to the sink as it becomes final.
/// Only the pixels two tiles share are held in float (<see cref="BandAccumulator"/>); the rows a tile row shares
/// with the next grow with the image's width, so a very wide image is worked in column strips, each holding at
/// most <c>maxBandBytes</c>; where two strips meet, the first strip's share of the overlap waits in a seam
/// buffer (its width is the tile overlap) until the second adds its own.
/// </summary>
public static class TiledUpscaler
{
    /// <summary>The most float the blending holds for one strip: wider images are split into column strips (256 MiB: 80,000 output pixels wide at x4).</summary>
    public const long DefaultMaxBandBytes = 256L << 20;

    /// <param name="image">The decoded input; each tile is converted to float [0, 1] only when it runs.</param>
    /// <param name="sink">Receives (first output column, first output row, block as CV_32FC3 BGR); every output pixel arrives once.</param>
    /// <param name="progress">Receives the number of tiles done.</param>
    /// <param name="engineShape">When set, every tile is padded (mirrored) to this shape and the padding's output cropped away.</param>
    /// <param name="decorate">Wraps each engine for the tiles it runs (<see cref="SelfEnsemble.Around"/>); null runs them as they are.</param>
    /// <param name="rowsFinal">Told n when output rows [0, n) have all their tiles in the sink: nothing adds to them any more.</param>
    public static async Task RunAsync(DecodedImage image, TilePlan plan, EnginePool pool, Action<int, int, Mat> sink,
        IProgress<int>? progress, CancellationToken ct, long maxBandBytes = DefaultMaxBandBytes, Size? engineShape = null,
        Func<ISuperResEngine, ISuperResEngine>? decorate = null, Action<int>? rowsFinal = null)
    {
        int s = pool.Scale;
        int bandHeight = plan.Rows.Max(r => r[0].Region.Height) * s;
        var strips = Strips(plan, s, bandHeight, maxBandBytes);
        if (strips.Count > 1)
        {
            image.KeepAll(); // each strip reads the picture from the top again
        }
        var run = new TileRun(image, plan, pool, engineShape, decorate ?? (e => e), progress, ct);
        Mat? seam = null; // the previous strip's share of the columns it shares with this one, full height
        int seamEnd = 0;
        try
        {
            for (int k = 0; k < strips.Count; k++)
            {
                var strip = strips[k];
                int shareStart = k + 1 < strips.Count ? strips[k + 1].X0 : strip.X1; // from here on the next strip's tiles add too
                var nextSeam = shareStart < strip.X1 ? new Mat(plan.Height * s, strip.X1 - shareStart, MatType.CV_32FC3, Scalar.All(0)) : null;
                var leftSeam = seam;
                int leftEnd = leftSeam is null ? strip.X0 : seamEnd;
                // A block of the strip's output, final here: where the previous strip shares its columns their sums meet,
                // where the next strip will, it waits in the next seam.
                void Flush(int left, int top, Mat block)
                {
                    int x0 = strip.X0 + left, x1 = x0 + block.Cols, n = block.Rows;
                    if (leftSeam is not null && x0 < leftEnd)
                    {
                        using var mine = block.ColRange(0, Math.Min(x1, leftEnd) - x0);
                        using var theirs = leftSeam[new Rect(x0 - strip.X0, top, mine.Cols, n)];
                        using var sum = new Mat();
                        Cv2.Add(mine, theirs, sum);
                        sink(x0, top, sum);
                    }
                    int middle0 = Math.Max(x0, leftEnd), middle1 = Math.Min(x1, shareStart);
                    if (middle1 > middle0)
                    {
                        using var middle = block.ColRange(middle0 - x0, middle1 - x0);
                        sink(middle0, top, middle);
                    }
                    if (nextSeam is not null && x1 > shareStart)
                    {
                        int from = Math.Max(x0, shareStart);
                        using var share = block.ColRange(from - x0, x1 - x0);
                        using var target = nextSeam[new Rect(from - shareStart, top, share.Cols, n)];
                        share.CopyTo(target);
                    }
                }
                // Rows are final once the last strip has flushed them.
                await RunStripAsync(run, strip, Flush, k == strips.Count - 1 ? rowsFinal : null).ConfigureAwait(false);
                seam?.Dispose();
                seam = nextSeam;
                seamEnd = strip.X1;
            }
        }
        finally
        {
            seam?.Dispose();
        }
    }

    /// <summary>Bytes of float buffers the blending holds at once for this plan: one strip's shares, and a seam when there are several strips.</summary>
    public static long BufferBytes(TilePlan plan, int scale, long maxBandBytes = DefaultMaxBandBytes)
    {
        int bandHeight = plan.Rows.Max(r => r[0].Region.Height) * scale;
        var strips = Strips(plan, scale, bandHeight, maxBandBytes);
        long widest = strips.Max(t => (long)(t.X1 - t.X0));
        long seam = strips.Count > 1 ? (long)plan.Height * scale * 2 * plan.Overlap * scale * BandAccumulator.BytesPerPixel : 0;
        return BandAccumulator.BytesFor(widest, Ramp(plan, scale), bandHeight, plan.Rows.Count > 1) + seam;
    }

    /// <summary>Output pixels two neighbouring tiles share.</summary>
    private static int Ramp(TilePlan plan, int scale) => 2 * plan.Overlap * scale;

    /// <summary>What every strip of one picture runs with; <see cref="Done"/> counts tiles across the strips.</summary>
    private sealed record TileRun(DecodedImage Image, TilePlan Plan, EnginePool Pool, Size? EngineShape,
        Func<ISuperResEngine, ISuperResEngine> Decorate, IProgress<int>? Progress, CancellationToken Ct)
    {
        public StrongBox<int> Done { get; } = new(0);
    }

    private static async Task RunStripAsync(TileRun run, Strip strip, Action<int, int, Mat> flush, Action<int>? flushed)
    {
        var (image, plan, pool, engineShape, decorate, progress, userCt) = run;
        var done = run.Done;
        int s = pool.Scale;
        using var band = new BandAccumulator(strip.X1 - strip.X0, Ramp(plan, s), flush);
        bool blends = plan.Overlap > 0; // neighbours share pixels
        // A failed tile stops the tiles queued behind it, in its row and the next, before they take the engine.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(userCt);
        var ct = failed.Token;
        var rows = new List<Task>(plan.Rows.Count);
        Task aboveStarted = Task.CompletedTask; // the row above's last tile has its engine
        Task aboveFlushed = Task.CompletedTask; // the row above is in the band and its final rows are flushed
        try
        {
            for (int r = 0; r < plan.Rows.Count; r++)
            {
                var row = plan.Rows[r];
                var weightY = BlendWeights.Axis(row[0].Region.Y, row[0].Region.Height, plan.Height, plan.Overlap, s);
                var tiles = row.Where(t => t.Column >= strip.FirstColumn && t.Column < strip.EndColumn).ToList();
                // Tiles are added to the band left to right, whichever finished first: float sums where they overlap then
                // do not depend on timing, so the same input always gives the same bytes.
                // Tiles also take engines left to right: in any other order, finished tiles wait for their left neighbours
                // with their outputs held (four megabytes each at x2, forty tiles in a 10000-pixel-wide row).
                // A row's first tile follows the row above's last, so the engine runs it while the row above is flushed.
                var added = tiles.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
                var started = tiles.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
                Task firstTurn = aboveStarted, firstAdd = aboveFlushed; // as they are now: both are replaced below
                var running = tiles.Select((tile, i) => Task.Run(async () =>
                {
                    try
                    {
                        var shares = new Neighbours(blends && i > 0, blends && i + 1 < tiles.Count, blends && r > 0, blends && r + 1 < plan.Rows.Count);
                        await StopsTheRestOnFailure(RunTileAsync(tile, weightY, shares, i == 0 ? firstTurn : started[i - 1].Task,
                            started[i], i == 0 ? firstAdd : added[i - 1].Task)).ConfigureAwait(false);
                    }
                    finally
                    {
                        // Also when this tile failed: the row fails, and no later tile waits for ever.
                        started[i].TrySetResult();
                        added[i].TrySetResult();
                    }
                })).ToArray(); // no token here: every tile must start, to pass the turn on (each checks it first)
                bool last = r + 1 == plan.Rows.Count;
                aboveFlushed = StopsTheRestOnFailure(EndRowAsync(running, last ? plan.Height * s : plan.Rows[r + 1][0].Region.Y * s,
                    last ? plan.Height : plan.Rows[r + 1].Min(t => Read(t).Y)));
                rows.Add(aboveFlushed);
                aboveStarted = started[^1].Task;
                // The next row is queued once this one's last tile has its engine: one row ahead, never the whole picture.
                await aboveStarted.ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            // Every queued tile ends before the band they add to is freed; the first failure is what is thrown.
            await Task.WhenAll(rows).ConfigureAwait(false);
        }

        // At one engine shape, an edge tile reads more of the image instead of padding where it can.
        Rect Read(Tile tile) => engineShape is { } shape ? Grown(tile.Region, shape, plan.Width, plan.Height) : tile.Region;

        // Once the row's tiles are in the band: output rows above nextTop are final, input rows above readTop unread.
        async Task EndRowAsync(Task[] running, int nextTop, int readTop)
        {
            await Task.WhenAll(running).ConfigureAwait(false);
            band.EndRow();
            flushed?.Invoke(nextTop);
            image.Release(readTop);
        }

        // Its own error is what the picture fails with; the tiles still queued are cancelled rather than run.
        async Task StopsTheRestOnFailure(Task work)
        {
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        async Task RunTileAsync(Tile tile, float[] weightY, Neighbours shares, Task leftStarted, TaskCompletionSource start, Task leftAdded)
        {
            await leftStarted.WaitAsync(ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var read = Read(tile);
            // Made after the left neighbour has its engine: of a row's waiting tiles, only the next holds its input.
            Mat ran;
            using (var input = Padded(image.UnitFloat(read), engineShape))
            {
                ran = await pool.RunAsync(engine =>
                {
                    start.TrySetResult();
                    return decorate(engine).Run(input, ct);
                }, ct).ConfigureAwait(false);
            }
            using var output = Cropped(ran,
                new Rect(tile.Region.X - read.X, tile.Region.Y - read.Y, tile.Region.Width, tile.Region.Height), s);
            if (output.Rows != tile.Region.Height * s || output.Cols != tile.Region.Width * s)
            {
                throw new InvalidOperationException(
                    $"The engine returned {output.Cols}x{output.Rows} for a {tile.Region.Width}x{tile.Region.Height} tile at scale {s}.");
            }
            var weightX = BlendWeights.Axis(tile.Region.X, tile.Region.Width, plan.Width, plan.Overlap, s);
            await leftAdded.WaitAsync(ct).ConfigureAwait(false);
            band.Add(output, tile.Region.X * s - strip.X0, tile.Region.Y * s, weightX, weightY, shares);
            progress?.Report(Interlocked.Increment(ref done.Value));
        }
    }

    /// <summary>The tile mirrored out to the engine's shape (bottom and right), or itself when it fits already.</summary>
    private static Mat Padded(Mat tile, Size? shape)
    {
        if (shape is not { } target || (tile.Cols >= target.Width && tile.Rows >= target.Height))
        {
            return tile;
        }
        var padded = new Mat();
        Cv2.CopyMakeBorder(tile, padded, 0, Math.Max(0, target.Height - tile.Rows), 0, Math.Max(0, target.Width - tile.Cols), BorderTypes.Reflect101);
        tile.Dispose();
        return padded;
    }

    /// <summary>
    /// The region grown to the engine's shape inside the image (towards the image's interior), so an edge tile
    /// gets real context where a padded one would get mirrored pixels; only an image smaller than the shape pads.
    /// </summary>
    private static Rect Grown(Rect region, Size shape, int width, int height)
    {
        (int Start, int Length) Axis(int start, int length, int size, int limit) =>
            size >= limit ? (0, limit) : (Math.Min(start, limit - size), Math.Max(length, size));
        var (x, w) = Axis(region.X, region.Width, shape.Width, width);
        var (y, h) = Axis(region.Y, region.Height, shape.Height, height);
        return new Rect(x, y, w, h);
    }

    /// <summary>The part of the engine's output that belongs to the tile: <paramref name="tile"/> in input pixels of what was run.</summary>
    private static Mat Cropped(Mat output, Rect tile, int s)
    {
        var part = new Rect(tile.X * s, tile.Y * s, tile.Width * s, tile.Height * s);
        if (part.X == 0 && part.Y == 0 && output.Cols == part.Width && output.Rows == part.Height)
        {
            return output;
        }
        // A view shares the output's pixels (OpenCV counts their references), so they live as long as the view does.
        using (output)
        {
            return new Mat(output, part);
        }
    }

    /// <summary>Consecutive tile columns whose shared pixels fit <paramref name="maxBandBytes"/> (at least one column each), with their output extent.</summary>
    private static List<Strip> Strips(TilePlan plan, int s, int bandHeight, long maxBandBytes)
    {
        var columns = plan.Rows[0];
        var strips = new List<Strip>();
        // Float the blending holds for tile columns [from, to].
        long Bytes(int from, int to) =>
            BandAccumulator.BytesFor((long)(columns[to].Region.Right - columns[from].Region.X) * s, Ramp(plan, s), bandHeight, plan.Rows.Count > 1);
        int first = 0;
        while (first < columns.Count)
        {
            int end = first + 1;
            while (end < columns.Count && Bytes(first, end) <= maxBandBytes)
            {
                end++;
            }
            strips.Add(new Strip(first, end, columns[first].Region.X * s, columns[end - 1].Region.Right * s));
            first = end;
        }
        return strips;
    }

    /// <summary>Tile columns [FirstColumn, EndColumn) and the output columns [X0, X1) their tiles cover.</summary>
    private sealed record Strip(int FirstColumn, int EndColumn, int X0, int X1);
}
