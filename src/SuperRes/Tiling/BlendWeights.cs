namespace SuperRes.Tiling;

/// <summary>
/// Per-axis weights that fade a tile out across the overlap it shares with a neighbour.
/// The outer quarter of an overlap gets weight 0 (the pixels nearest a tile edge, where the model saw
/// zero padding instead of the image), the middle half ramps linearly, and the mirrored ramp of the
/// neighbour makes every pixel's weights sum to exactly 1, so blending needs no normalisation pass.
/// </summary>
internal static class BlendWeights
{
    /// <param name="start">Tile start along the axis, input pixels.</param>
    /// <param name="length">Tile length along the axis, input pixels.</param>
    /// <param name="imageLength">Image length along the axis, input pixels.</param>
    /// <param name="overlap">Overlap added on each inner side, input pixels.</param>
    public static float[] Axis(int start, int length, int imageLength, int overlap, int scale)
    {
        var w = new float[length * scale];
        int ramp = 2 * overlap * scale; // output pixels two neighbours share
        int margin = ramp / 4;
        bool fadeIn = start > 0 && ramp > 0, fadeOut = start + length < imageLength && ramp > 0;
        for (int u = 0; u < w.Length; u++)
        {
            float a = fadeIn ? Ramp(u, ramp, margin) : 1f;
            float b = fadeOut ? Ramp(w.Length - 1 - u, ramp, margin) : 1f;
            w[u] = a * b;
        }
        return w;
    }

    private static float Ramp(int distanceFromEdge, int ramp, int margin) =>
        Math.Clamp((distanceFromEdge - margin + 0.5f) / (ramp - 2 * margin), 0f, 1f);
}
