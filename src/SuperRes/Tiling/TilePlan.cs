namespace SuperRes.Tiling;

/// <summary>Tiles of one image, row by row (rows are processed in order so finished output rows can be released).</summary>
public sealed record TilePlan(int Width, int Height, int Overlap, IReadOnlyList<IReadOnlyList<Tile>> Rows)
{
    public int Count => Rows.Sum(r => r.Count);
}
