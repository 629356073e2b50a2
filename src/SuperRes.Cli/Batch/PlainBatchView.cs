namespace SuperRes.Cli.Batch;

/// <summary>One line per finished image, for logs and pipes.</summary>
public sealed class PlainBatchView(int total) : IBatchView
{
    private readonly int total = total;
    private int finished;

    public IBatchItemView Start(string name) => new Item(this);

    private sealed class Item(PlainBatchView view) : IBatchItemView
    {
        public void Report(double fraction)
        {
        }

        public void Finish(BatchItemResult r)
        {
            int n = Interlocked.Increment(ref view.finished);
            int total = view.total;
            Console.WriteLine(r.Succeeded
                ? $"[{n}/{total}] ok     {r.Input} -> {r.Output} ({r.Width}x{r.Height}, {(r.Restore is { } restore ? $"restore {restore}, " : "")}{r.Elapsed.TotalSeconds:0.00} s)"
                : $"[{n}/{total}] failed {r.Input}: {r.Error}");
        }
    }
}
