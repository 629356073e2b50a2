namespace SuperRes;

/// <summary>Where one image is: tiles done out of tiles planned (0 of N while the model loads).</summary>
public sealed record UpscaleProgress(int TilesDone, int TilesTotal)
{
    public double Fraction => TilesTotal == 0 ? 0 : (double)TilesDone / TilesTotal;
}
