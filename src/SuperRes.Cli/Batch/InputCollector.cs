using SuperRes.Imaging;

namespace SuperRes.Cli.Batch;

/// <summary>Expands the command's inputs (files and folders) into image files, each with the path it keeps under the output folder.</summary>
public static class InputCollector
{
    public sealed record Input(string Path, string RelativePath);

    public static List<Input> Collect(IEnumerable<string> inputs)
    {
        var result = new List<Input>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(ImageFormats.IsImageFile)
                    .Order(StringComparer.Ordinal);
                result.AddRange(files.Select(f => new Input(f, Path.GetRelativePath(input, f))));
            }
            else
            {
                // A missing or odd file still enters the batch: it fails there with its own message.
                result.Add(new Input(input, Path.GetFileName(input)));
            }
        }
        return result;
    }
}
