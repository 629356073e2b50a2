namespace SuperRes.Models.Tools.Quantization;

/// <summary>The values an activation tensor was calibrated to hold, and the uint8 grid that covers them.</summary>
internal readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>Asymmetric uint8: the range widened to include zero (so zero is exact, as padding needs), 255 steps.</summary>
    public (float Scale, byte ZeroPoint) Uint8()
    {
        float lo = Math.Min(0f, Min), hi = Math.Max(0f, Max);
        if (hi - lo < 1e-8f)
        {
            return (1f, 0);
        }
        float scale = (hi - lo) / 255f;
        return (scale, (byte)Math.Clamp(Math.Round(-lo / scale), 0, 255));
    }
}
