using Spectre.Console;

namespace SuperRes.Cli.Batch;

/// <summary>The end-of-batch report: counts, time, and every failure with its reason.</summary>
public static class Summary
{
    /// <returns>The exit code: 0 when every image succeeded.</returns>
    public static int Print(IReadOnlyList<BatchItemResult> results)
    {
        int failed = results.Count(r => !r.Succeeded);
        var seconds = results.Where(r => r.Succeeded).Select(r => r.Elapsed.TotalSeconds).DefaultIfEmpty(0).Average();
        if (failed > 0)
        {
            var table = new Table().AddColumn("failed input").AddColumn("reason");
            foreach (var r in results.Where(r => !r.Succeeded))
            {
                table.AddRow(Markup.Escape(r.Input), Markup.Escape(r.Error!));
            }
            AnsiConsole.Write(table);
        }
        foreach (var r in results.Where(r => r.Note is not null))
        {
            Console.Error.WriteLine($"note: {r.Input}: {r.Note}");
        }
        var restored = results.Where(r => r.Restore is not null).GroupBy(r => r.Restore!.Strength).OrderBy(g => g.Key).ToList();
        if (restored.Count > 0)
        {
            // What auto chose across the batch, so a user sees at a glance which files were treated as damaged.
            Console.WriteLine("restore: " + string.Join(", ", restored.Select(g =>
                $"{g.Count()} at {g.Key.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}" +
                (g.Count() == 1 ? $" ({g.First().Restore!.Basis})" : ""))));
        }
        // Peak resident memory (VmHWM on Linux): tells users what a batch of their images needs.
        long peakMb = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
        Console.WriteLine($"{results.Count - failed} succeeded, {failed} failed; {seconds:0.00} s per image on average; peak memory {peakMb} MB.");
        return failed == 0 ? 0 : CommandLine.Failed;
    }
}
