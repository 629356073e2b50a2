using System.Globalization;
using OpenCvSharp;

namespace SuperRes.Restoration;

/// <summary>
/// The automatic restoration strength: from a JPEG's quality (its quantisation tables), and from the noise left in
/// the decoded picture, whichever asks for more. Both mappings were measured, not guessed: `superres bench quality
/// --degrade` over Set5 and Set14 at x3, each strength from 0 to 1 in steps of 0.1, and the strength with the best
/// mean PSNR kept for each JPEG quality and noise level (bench/restore/run.sh; its results in bench/restore/).
/// </summary>
public static class RestoreStrength
{
    // (IJG quality, strength) for each scale: linear between the points, flat beyond the ends. A JPEG's tables tell
    // how hard it was compressed, not whether the picture under the compression was soft or noisy, and photos often
    // are: each point is the fixed strength with the best mean over every damage of bench/restore/run.sh that ends in
    // that quality (JPEG 75: plain and blur 1; 85: plain, noise 5 and noise 10; the others plain), and a lower quality
    // never gets less than a higher one (bench/restore/strength-by-quality-x{2,3,4}.csv, Set5 + Set14). At x3 a plain
    // JPEG 75 gives up 0.2 dB of its own best for 0.45 dB on a soft one, and noise 10 + JPEG 85 gains 0.5 dB. Quality
    // 100 is not measured: nearly lossless, it gets a touch. The restoring models differ by scale (x4's restores
    // least), and so do the points.
    private static readonly Dictionary<int, (double Quality, double Strength)[]> ByJpegQuality = new()
    {
        [2] = [(75, 0.9), (85, 0.7), (90, 0.5), (95, 0.3), (100, 0.1)],
        [3] = [(75, 0.9), (85, 0.7), (90, 0.4), (95, 0.3), (100, 0.1)],
        [4] = [(75, 0.8), (85, 0.6), (90, 0.3), (95, 0.2), (100, 0.1)],
    };

    // (noise estimate on luma, 8-bit levels, strength). The estimate reads about 0.7 of the added sigma on these
    // pictures (noise 5: 2.1-6.3, median 3.7; noise 10: 4.3-11.2, median 7.2), and the clean protocol LR x3 read up
    // to 4.1 (texture answers where no smooth patch is left), so restoration starts just above that; the best fixed
    // strengths were 0.5 for noise 5 and 0.9 for noise 10.
    private static readonly (double Sigma, double Strength)[] ByNoise =
    [
        (4.2, 0.0), (5.0, 0.5), (7.0, 0.9), (8.0, 1.0),
    ];

    /// <summary>Pixels the noise is measured on: the first rows of the picture, decoded before the tiles need them.</summary>
    private const long MeasuredPixels = 1_000_000;

    /// <summary>The strength for a picture upscaled <paramref name="scale"/> times: from its JPEG tables where it has
    /// them, from its noise in any case.</summary>
    public static RestoreChoice Choose(byte[] file, Imaging.DecodedImage image, int scale)
    {
        var jpeg = JpegQuality.Read(file);
        using var head = image.Head(MeasuredPixels);
        return Choose(jpeg, NoiseLevel.Estimate(head), scale);
    }

    public static RestoreChoice Choose(JpegQuality? jpeg, double noise, int scale)
    {
        double fromNoise = Restore.Round(Interpolate(ByNoise, noise));
        string noiseBasis = "noise " + noise.ToString("0.0", CultureInfo.InvariantCulture);
        if (jpeg is null)
        {
            return new RestoreChoice(fromNoise, noiseBasis, Auto: true);
        }
        double fromQuality = Restore.Round(Interpolate(ByJpegQuality.GetValueOrDefault(scale, ByJpegQuality[3]), jpeg.Quality));
        string qualityBasis = $"JPEG quality {(jpeg.IsStandard ? "" : "~")}{jpeg.Quality}";
        return fromNoise > fromQuality
            ? new RestoreChoice(fromNoise, $"{qualityBasis}, {noiseBasis}", Auto: true)
            : new RestoreChoice(fromQuality, qualityBasis, Auto: true);
    }

    private static double Interpolate((double X, double Y)[] points, double x)
    {
        if (x <= points[0].X)
        {
            return points[0].Y;
        }
        for (int i = 1; i < points.Length; i++)
        {
            if (x <= points[i].X)
            {
                var (x0, y0) = points[i - 1];
                var (x1, y1) = points[i];
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
            }
        }
        return points[^1].Y;
    }
}
