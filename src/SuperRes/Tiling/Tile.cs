using OpenCvSharp;

namespace SuperRes.Tiling;

/// <summary>
/// One piece of the input: <see cref="Region"/> is what the engine sees (the core cell grown by the
/// overlap, clipped to the image); <see cref="Core"/> is the cell of the grid it belongs to, in grid column
/// <see cref="Column"/> (wide images are blended in strips of columns).
/// </summary>
public sealed record Tile(Rect Region, Rect Core, int Column);
