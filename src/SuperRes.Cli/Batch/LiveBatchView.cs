using Spectre.Console;

namespace SuperRes.Cli.Batch;

/// <summary>A Spectre.Console progress display: one bar for the whole batch and one per image in flight.</summary>
public sealed class LiveBatchView(ProgressContext context, int total) : IBatchView
{
    private readonly ProgressTask overall = context.AddTask($"[bold]{total} image(s)[/]", maxValue: total);

    public IBatchItemView Start(string name) => new Item(this, context.AddTask(Markup.Escape(name), maxValue: 1.0));

    private sealed class Item(LiveBatchView view, ProgressTask task) : IBatchItemView
    {
        public void Report(double fraction) => task.Value = fraction;

        public void Finish(BatchItemResult r)
        {
            string restore = r.Restore is { } choice ? Markup.Escape($" (restore {choice})") : "";
            task.Description = r.Succeeded ? $"[green]{Markup.Escape(Path.GetFileName(r.Input))}[/]{restore}" : $"[red]{Markup.Escape(Path.GetFileName(r.Input))} failed[/]";
            task.Value = 1.0;
            task.StopTask();
            view.overall.Increment(1);
        }
    }
}
