using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Inference;

namespace SuperRes.Tiling;

/// <summary>
/// Runs an image through an engine pool tile by tile and blends the overlaps. Tiles of one row run
/// concurrently on the pool; rows finish in order, and each finished output band is streamed to the sink.
/// </summary>
public static class TiledUpscaler
{
    /// <param name="image">The decoded input; each tile is converted to float [0, 1] only when it runs.</param>
    /// <param name="sink">Receives (first output row, rows as CV_32FC3 BGR); rows arrive in order, each once.</param>
    /// <param name="progress">Receives the number of tiles done.</param>
    public static async Task RunAsync(DecodedImage image, TilePlan plan, EnginePool pool, Action<int, Mat> sink,
        IProgress<int>? progress, CancellationToken ct)
    {
        int s = pool.Scale;
        int bandHeight = plan.Rows.Max(r => r[0].Region.Height) * s;
        using var band = new BandAccumulator(image.Width * s, bandHeight, sink);
        var blendLock = new Lock();
        int done = 0;
        for (int r = 0; r < plan.Rows.Count; r++)
        {
            var row = plan.Rows[r];
            var weightY = BlendWeights.Axis(row[0].Region.Y, row[0].Region.Height, plan.Height, plan.Overlap, s);
            await Task.WhenAll(row.Select(tile => Task.Run(async () =>
            {
                ct.ThrowIfCancellationRequested();
                using var input = image.UnitFloat(tile.Region);
                using var output = await pool.RunAsync(engine => engine.Run(input), ct).ConfigureAwait(false);
                if (output.Rows != tile.Region.Height * s || output.Cols != tile.Region.Width * s)
                {
                    throw new InvalidOperationException(
                        $"The engine returned {output.Cols}x{output.Rows} for a {tile.Region.Width}x{tile.Region.Height} tile at scale {s}.");
                }
                var weightX = BlendWeights.Axis(tile.Region.X, tile.Region.Width, plan.Width, plan.Overlap, s);
                lock (blendLock)
                {
                    band.Add(output, tile.Region.X * s, tile.Region.Y * s, weightX, weightY);
                }
                progress?.Report(Interlocked.Increment(ref done));
            }, ct))).ConfigureAwait(false);
            int nextTop = r + 1 < plan.Rows.Count ? plan.Rows[r + 1][0].Region.Y * s : plan.Height * s;
            band.FlushUntil(nextTop);
        }
    }
}
