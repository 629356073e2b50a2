namespace SuperRes.Inference;

/// <summary>Counts the input shapes an engine switched to: each switch is an initialisation for runtimes that plan per shape.</summary>
internal sealed class ShapeTracker
{
    private (int Rows, int Cols) last = (-1, -1);

    /// <summary>Models with at least this many bytes of weights (esrgan-thick: 29 MB, a full EDSR: 154 MB) re-plan slowly enough to keep one shape.</summary>
    public const long HeavyModelBytes = 8L << 20;

    public long Changes { get; private set; }

    public static bool IsHeavy(string modelPath) => new FileInfo(modelPath).Length >= HeavyModelBytes;

    public void Saw(int rows, int cols)
    {
        if ((rows, cols) != last)
        {
            last = (rows, cols);
            Changes++;
        }
    }
}
