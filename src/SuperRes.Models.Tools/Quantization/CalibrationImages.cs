using OpenCvSharp;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// The high-resolution images a quantizer calibrates on and checks its quality with: a folder of the user's own
/// images, or the built-in rendered set (<see cref="DeadLeaves"/>). Crops are square and a multiple of 12 pixels,
/// so each gives an exact low-resolution copy at x2, x3 and x4.
/// </summary>
public sealed class CalibrationImages : IDisposable
{
    public const int BuiltInCount = 12;
    private const int Side = 192;
    private const int MaxImages = 16;

    private CalibrationImages(IReadOnlyList<Mat> images, string source)
    {
        HighRes = images;
        Source = source;
    }

    /// <summary>8-bit BGR images.</summary>
    public IReadOnlyList<Mat> HighRes { get; }

    /// <summary>What they are, for reports.</summary>
    public string Source { get; }

    public static CalibrationImages BuiltIn() =>
        new([.. Enumerable.Range(1, BuiltInCount).Select(seed => DeadLeaves.Render(seed, Side))], $"{BuiltInCount} rendered dead-leaves images");

    /// <summary>Up to 16 images of a folder, each centre-cropped to 192 pixels square (smaller ones to their largest multiple of 12).</summary>
    public static CalibrationImages FromFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelException($"The calibration folder {folder} does not exist.");
        }
        var images = new List<Mat>();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (images.Count == MaxImages)
            {
                break;
            }
            using var image = ReadColour(file);
            if (image is null)
            {
                continue; // not an image SuperRes reads
            }
            int side = Math.Min(Side, Math.Min(image.Rows, image.Cols) / 12 * 12);
            if (side >= 48)
            {
                using var crop = new Mat(image, new Rect((image.Cols - side) / 2, (image.Rows - side) / 2, side, side));
                images.Add(crop.Clone());
            }
        }
        if (images.Count == 0)
        {
            throw new ModelException($"{folder} holds no image of at least 48x48 pixels to calibrate on.");
        }
        return new CalibrationImages(images, $"{images.Count} images of {folder}");
    }

    public void Dispose()
    {
        foreach (var image in HighRes)
        {
            image.Dispose();
        }
    }

    /// <summary>A file's pixels upright, as 8-bit BGR (what the engines are fed), or null when it is not a picture.</summary>
    private static Mat? ReadColour(string file)
    {
        try
        {
            using var decoded = Imaging.ImageDecoder.Decode(File.ReadAllBytes(file));
            var colour = new Mat();
            decoded.Colour.ConvertTo(colour, MatType.CV_8UC3, decoded.BitDepth == 16 ? 1.0 / 257 : 1);
            return colour;
        }
        catch (Imaging.InvalidImageException)
        {
            return null;
        }
    }
}
