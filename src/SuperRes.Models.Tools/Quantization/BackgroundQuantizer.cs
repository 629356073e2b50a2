using System.Collections.Concurrent;

using SuperRes.Models.Quantization;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Makes the checked int8 copy of a model written at run time (a restoration strength's mix) off the request path, one
/// at a time on one core: the first requests at a strength run the float mix, later ones its int8 copy once the
/// quantizer's guard has accepted it. Meant for long-lived hosts (the service); a one-shot CLI run would only pay for
/// work it exits before using.
/// </summary>
public static class BackgroundQuantizer
{
    private static readonly ConcurrentDictionary<string, Task> Started = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Starts the copy of <paramref name="floatPath"/> unless it exists or was started in this process.</summary>
    /// <returns>The work, for callers that wait for it (tests); null when there is nothing to do.</returns>
    public static Task? Ensure(string floatPath, ModelContract contract)
    {
        if (File.Exists(Int8Copy.PathFor(floatPath)))
        {
            return null;
        }
        return Started.GetOrAdd(floatPath, path => Task.Run(async () =>
        {
            await OneAtATime.WaitAsync().ConfigureAwait(false);
            try
            {
                Int8Quantizer.Quantize(path, contract, Int8Copy.PathFor(path), new QuantizationOptions { Threads = 1 });
            }
            catch (Exception)
            {
                // Best effort by design: without a copy (refused by the guard, folder gone or read-only) the mix simply
                // stays in fp32, which is correct and only slower.
            }
            finally
            {
                OneAtATime.Release();
            }
        }));
    }
}
