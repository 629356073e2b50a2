using System.Diagnostics;
using SuperRes.Imaging;

namespace SuperRes.Cli.Commands.Bench;

/// <summary>The pipeline's two ends timed alone (median of a few runs): decoding the input, encoding the output.</summary>
internal static class PipelineStages
{
    public static (double Decode, double Encode) Measure(byte[] input, byte[] output, int repeats)
    {
        using var result = ImageDecoder.Decode(output);
        var pixels = result.Colour; // owned by the decoded image
        var options = new EncodeOptions(result.SourceFormat);
        double decode = Median(repeats, () =>
        {
            using var image = ImageDecoder.Decode(input);
            _ = image.Colour; // rows are decoded as they are read
        });
        double encode = Median(repeats, () => ImageEncoder.Encode(pixels, options));
        return (decode, encode);
    }

    private static double Median(int repeats, Action run)
    {
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
