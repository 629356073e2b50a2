using System.Globalization;
using OpenCvSharp;
using SuperRes.Imaging;

namespace SuperRes.Quality;

/// <summary>
/// A fixed, seeded damage to a protocol LR, as photos get it: <c>jpeg:Q</c> (libjpeg's standard tables at quality Q,
/// 4:2:0 chroma), <c>noise:SIGMA</c> (Gaussian, independent per channel, in 8-bit levels), <c>blur:SIGMA</c> (Gaussian,
/// in LR pixels), applied in the order given (<c>noise:5,jpeg:85</c>). What <c>superres bench quality --degrade</c> scores
/// models on; the result is the file a user would have: a JPEG when the last step is one, else a PNG.
/// </summary>
public sealed class Degradation
{
    private readonly List<(string Kind, double Value)> steps;

    private Degradation(string spec, List<(string, double)> steps)
    {
        Spec = spec;
        this.steps = steps;
    }

    public string Spec { get; }

    public bool EndsInJpeg => steps[^1].Kind == "jpeg";

    /// <exception cref="ArgumentException">What is wrong with the spec, in one sentence that follows the spec's name
    /// ("jpeg:0: out of range …", "needs at least one of …").</exception>
    public static Degradation Parse(string spec)
    {
        var parsed = new List<(string, double)>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (kind, text) = part.Split(':', 2) is [var k, var v] ? (k.ToLowerInvariant(), v) : (part, "");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new ArgumentException($"{part}: give a number after the colon (jpeg:60, noise:5, blur:1).");
            }
            bool valid = kind switch
            {
                "jpeg" => value is >= 1 and <= 100 && value == Math.Floor(value),
                "noise" => value is >= 0 and <= 100,
                "blur" => value is > 0 and <= 20,
                _ => throw new ArgumentException($"{part}: {kind} is not a degradation; use jpeg:Q, noise:SIGMA or blur:SIGMA."),
            };
            if (!valid)
            {
                throw new ArgumentException($"{part}: out of range (jpeg quality 1-100, noise sigma 0-100, blur sigma above 0 up to 20).");
            }
            parsed.Add((kind, value));
        }
        return parsed.Count > 0 ? new Degradation(spec, parsed) : throw new ArgumentException("needs at least one of jpeg:Q, noise:SIGMA, blur:SIGMA.");
    }

    /// <summary>The damaged picture as file bytes (JPEG or PNG), from an 8-bit grey or BGR LR; the same for the same seed.</summary>
    public byte[] Apply(Mat lr, int seed = 0)
    {
        var random = new Random(seed);
        var image = lr.Clone();
        try
        {
            byte[]? file = null;
            foreach (var (kind, value) in steps)
            {
                file = null;
                switch (kind)
                {
                    case "jpeg":
                        file = Jpeg(image, (int)value);
                        image.Dispose();
                        image = ImageFiles.Decode(file);
                        break;
                    case "noise":
                        AddNoise(image, value, random);
                        break;
                    default:
                        int radius = Math.Max(1, (int)Math.Ceiling(3 * value));
                        Cv2.GaussianBlur(image, image, new Size(2 * radius + 1, 2 * radius + 1), value, value, BorderTypes.Reflect101);
                        break;
                }
            }
            if (file is null)
            {
                file = ImageFiles.Encode(image, ImageFormat.Png);
            }
            return file;
        }
        finally
        {
            image.Dispose();
        }
    }

    /// <summary>libjpeg's standard tables scaled to the quality, 4:2:0 chroma (what libjpeg writes by default).</summary>
    public static byte[] Jpeg(Mat image, int quality) => ImageEncoder.EncodeJpeg420(image, quality);

    private static void AddNoise(Mat image, double sigma, Random random)
    {
        int n = image.Rows * image.Cols * image.Channels();
        var values = new byte[n];
        System.Runtime.InteropServices.Marshal.Copy(image.Data, values, 0, n);
        for (int i = 0; i < n; i++)
        {
            // Box-Muller from the seeded generator: the same noise on every machine and .NET version.
            double u = 1.0 - random.NextDouble(), v = random.NextDouble();
            double gauss = Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
            values[i] = (byte)Math.Clamp(Math.Round(values[i] + sigma * gauss), 0, 255);
        }
        System.Runtime.InteropServices.Marshal.Copy(values, 0, image.Data, n);
    }

    public override string ToString() => Spec;
}
