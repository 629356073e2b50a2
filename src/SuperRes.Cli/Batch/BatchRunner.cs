using System.Diagnostics;
using SuperRes.Imaging;

namespace SuperRes.Cli.Batch;

/// <summary>
/// Upscales a list of inputs, one more at a time than the pool has engines (so one image decodes or
/// encodes while the engines work on another); one image's failure never stops the others.
/// </summary>
public sealed class BatchRunner(Upscaler upscaler, UpscaleRequest request, string output)
{
    public async Task<List<BatchItemResult>> RunAsync(IReadOnlyList<InputCollector.Input> inputs, IBatchView view, CancellationToken ct)
    {
        bool singleFile = OutputPlanner.IsSingleFile(output, inputs.Count);
        var results = new BatchItemResult[inputs.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = upscaler.Options.EffectivePoolSize + 1, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Count), options, async (i, token) =>
        {
            var input = inputs[i];
            var item = view.Start(input.RelativePath);
            var sw = Stopwatch.StartNew();
            try
            {
                var format = OutputPlanner.FormatFor(request.Format, output, singleFile, input.Path);
                var target = OutputPlanner.PathFor(input, output, singleFile, format);
                var bytes = await File.ReadAllBytesAsync(input.Path, token);
                var progress = new Progress<UpscaleProgress>(p => item.Report(p.Fraction));
                var result = await upscaler.UpscaleAsync(bytes, request with { Format = format }, progress, token);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
                await File.WriteAllBytesAsync(target, result.Data, token);
                results[i] = new BatchItemResult(input.Path, target, null, result.Width, result.Height, sw.Elapsed)
                {
                    Note = result.Notes.Count == 0 ? null : string.Join(" ", result.Notes),
                    Restore = result.Restore,
                };
            }
            catch (Exception e) when (e is not OperationCanceledException && CliErrors.Describe(e) is { } message)
            {
                results[i] = new BatchItemResult(input.Path, null, message, 0, 0, sw.Elapsed);
            }
            item.Finish(results[i]);
        });
        return [.. results];
    }
}
