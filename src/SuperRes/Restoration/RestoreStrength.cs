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
    // (IJG quality, strength): linear between the points, flat beyond the ends. Each point is the best fixed strength
    // for that quality in bench/restore/restore-x3.csv (Set5 + Set14 x3).
    private static readonly (double Quality, double Strength)[] ByJpegQuality =
    [
        (30, 0.9), (40, 0.8), (60, 0.8), (75, 0.7), (90, 0.4), (95, 0.3), (100, 0.1),
    ];

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

    /// <summary>The strength for a picture: from its JPEG tables where it has them, from its noise in any case.</summary>
    public static RestoreChoice Choose(byte[] file, Imaging.DecodedImage image)
    {
        var jpeg = JpegQuality.Read(file);
        using var head = image.Head(MeasuredPixels);
        return Choose(jpeg, NoiseLevel.Estimate(head));
    }

    public static RestoreChoice Choose(JpegQuality? jpeg, double noise)
    {
        double fromNoise = Restore.Round(Interpolate(ByNoise, noise));
        string noiseBasis = "noise " + noise.ToString("0.0", CultureInfo.InvariantCulture);
        if (jpeg is null)
        {
            return new RestoreChoice(fromNoise, noiseBasis, Auto: true);
        }
        double fromQuality = Restore.Round(Interpolate(ByJpegQuality, jpeg.Quality));
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
