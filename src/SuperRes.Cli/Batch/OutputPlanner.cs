using SuperRes.Imaging;

namespace SuperRes.Cli.Batch;

/// <summary>Decides where each result goes: a named file for a single input, else the same relative path under the output folder.</summary>
public static class OutputPlanner
{
    /// <returns>True when <paramref name="output"/> names one file rather than a folder.</returns>
    public static bool IsSingleFile(string output, int inputCount) =>
        inputCount == 1 && !Directory.Exists(output) && ImageFormats.Parse(Path.GetExtension(output)) is not null;

    public static string PathFor(InputCollector.Input input, string output, bool singleFile, ImageFormat format)
    {
        if (singleFile)
        {
            return output;
        }
        var relative = Path.ChangeExtension(input.RelativePath, ImageFormats.Extension(format));
        var target = Path.GetFullPath(Path.Combine(output, relative));
        if (string.Equals(target, Path.GetFullPath(input.Path), StringComparison.Ordinal))
        {
            target = Path.Combine(Path.GetDirectoryName(target)!, Path.GetFileNameWithoutExtension(target) + "_upscaled" + Path.GetExtension(target));
        }
        return target;
    }

    /// <summary>The format to write: --format, else the output file's extension, else the input's format (PNG if unknown).</summary>
    public static ImageFormat FormatFor(ImageFormat? requested, string output, bool singleFile, string inputPath) =>
        requested
        ?? (singleFile ? ImageFormats.Parse(Path.GetExtension(output)) : null)
        ?? (ImageFormats.FromExtension(inputPath) is { } input ? ImageFormats.OutputFor(input) : (ImageFormat?)null)
        ?? ImageFormat.Png;
}
