namespace SuperRes.Inference;

/// <summary>Counts the input shapes an engine switched to: each switch is an initialisation for runtimes that plan per shape.</summary>
internal sealed class ShapeTracker
{
    private (int Rows, int Cols) last = (-1, -1);

    public long Changes { get; private set; }

    public void Saw(int rows, int cols)
    {
        if ((rows, cols) != last)
        {
            last = (rows, cols);
            Changes++;
        }
    }
}
