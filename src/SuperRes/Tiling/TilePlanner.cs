using OpenCvSharp;

namespace SuperRes.Tiling;

/// <summary>Splits an image into a grid of overlapping tiles of near-equal size.</summary>
public static class TilePlanner
{
    /// <param name="tileSize">Largest core cell edge in input pixels; 0 = one tile for the whole image.</param>
    /// <param name="overlap">Context added on each inner side of a cell, in input pixels.</param>
    public static TilePlan Plan(int width, int height, int tileSize, int overlap)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "The image has no pixels.");
        }
        if (tileSize <= 0 || (tileSize >= width && tileSize >= height))
        {
            var whole = new Rect(0, 0, width, height);
            return new TilePlan(width, height, 0, [[new Tile(whole, whole, 0)]]);
        }
        // Cells at least twice the overlap keep every seam's overlap symmetric (see BlendWeights).
        tileSize = Math.Max(tileSize, 2 * overlap);
        var xs = Split(width, tileSize);
        var ys = Split(height, tileSize);
        var rows = new List<IReadOnlyList<Tile>>(ys.Count);
        for (int r = 0; r < ys.Count; r++)
        {
            var row = new List<Tile>(xs.Count);
            for (int c = 0; c < xs.Count; c++)
            {
                var core = new Rect(xs[c].Start, ys[r].Start, xs[c].Length, ys[r].Length);
                int x0 = Math.Max(0, core.X - overlap), y0 = Math.Max(0, core.Y - overlap);
                int x1 = Math.Min(width, core.Right + overlap), y1 = Math.Min(height, core.Bottom + overlap);
                row.Add(new Tile(new Rect(x0, y0, x1 - x0, y1 - y0), core, c));
            }
            rows.Add(row);
        }
        return new TilePlan(width, height, overlap, rows);
    }

    private static List<(int Start, int Length)> Split(int length, int tileSize)
    {
        int n = (length + tileSize - 1) / tileSize;
        var cells = new List<(int, int)>(n);
        for (int i = 0; i < n; i++)
        {
            int start = (int)((long)i * length / n), end = (int)((long)(i + 1) * length / n);
            cells.Add((start, end - start));
        }
        return cells;
    }
}
