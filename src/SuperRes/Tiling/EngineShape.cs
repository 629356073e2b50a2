using OpenCvSharp;

namespace SuperRes.Tiling;

/// <summary>
/// The one input shape every tile of an image is padded to, for engines that re-initialise on each new shape
/// (OpenCV DNN: 2.5 s for a full EDSR, every time the shape changes). Along an axis an image spans with several
/// tiles, every tile is padded to the largest region the tile size allows, so any image larger than a tile both
/// ways uses one shape whatever its size. Along an axis it spans with one tile (a small image, or a thin strip),
/// the tile is padded only to the next multiple of <see cref="Step"/>: a few rows or columns of extra work, and
/// similar small images share a shape.
/// </summary>
public static class EngineShape
{
    public const int Step = 32;

    /// <returns>The padded shape, or null when the plan is one whole image on purpose (tile size 0).</returns>
    public static Size? For(TilePlan plan, int tileSize, int overlap)
    {
        if (tileSize <= 0)
        {
            return null;
        }
        // Along an axis the image spans with one tile, that tile is the image: pad it to the next step only.
        // Along an axis with several tiles, every tile gets the largest region the tile size allows.
        int side = TileSide(tileSize, overlap);
        int columns = plan.Rows[0].Count, rows = plan.Rows.Count;
        return new Size(columns == 1 ? RoundUp(plan.Width) : side, rows == 1 ? RoundUp(plan.Height) : side);
    }

    /// <summary>The largest region <see cref="TilePlanner"/> makes: the shape of every tile of a multi-tile image.</summary>
    public static int TileSide(int tileSize, int overlap) => Math.Max(tileSize, 2 * overlap) + 2 * overlap;

    private static int RoundUp(int v) => (v + Step - 1) / Step * Step;
}
