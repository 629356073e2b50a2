using OpenCvSharp;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Renders "dead leaves" images: overlapping opaque shapes whose sizes follow a power law (density ~ r^-3), the
/// model imaging science uses for natural-image texture because it reproduces photographs' scale invariance and
/// edge statistics. The product calibrates on them because it may ship nothing else: they are made here, from a
/// seed, so no photograph with a licence travels with the program.
/// </summary>
internal static class DeadLeaves
{
    public static Mat Render(int seed, int size)
    {
        var rng = new Random(seed);
        int canvasSide = size * 2; // drawn at twice the size and shrunk by area, so edges are antialiased as a lens would
        var palette = Enumerable.Range(0, 6).Select(_ => RandomColour(rng)).ToArray();
        using var canvas = new Mat(canvasSide, canvasSide, MatType.CV_8UC3, palette[0]);
        double rMin = 6, rMax = canvasSide / 4.0;
        for (int i = 0; i < 20 * size; i++)
        {
            // Inverse of the power law's distribution function between rMin and rMax.
            double r = rMin / Math.Sqrt(1 - rng.NextDouble() * (1 - rMin * rMin / (rMax * rMax)));
            var centre = new Point(rng.Next(canvasSide), rng.Next(canvasSide));
            var colour = Vary(palette[rng.Next(palette.Length)], rng);
            if (rng.NextDouble() < 0.7)
            {
                var axes = new Size(Math.Max(1, (int)r), Math.Max(1, (int)(r * (0.3 + 0.7 * rng.NextDouble()))));
                Cv2.Ellipse(canvas, centre, axes, rng.NextDouble() * 180, 0, 360, colour, -1, LineTypes.AntiAlias);
            }
            else
            {
                var box = new RotatedRect(new Point2f(centre.X, centre.Y), new Size2f(2 * r, r * (0.2 + rng.NextDouble())), (float)(rng.NextDouble() * 180));
                Cv2.FillConvexPoly(canvas, box.Points().Select(p => new Point((int)p.X, (int)p.Y)).ToArray(), colour, LineTypes.AntiAlias);
            }
        }
        // Fine high-contrast structure (stripes, hatching, lettering-like strokes) as photographs of fabric, fur,
        // print and branches have: it drives a network's activations to their extremes, which calibration must cover.
        for (int i = 0; i < size / 8; i++)
        {
            var colour = rng.NextDouble() < 0.5 ? Scalar.All(rng.Next(0, 25)) : Scalar.All(rng.Next(230, 256));
            double angle = rng.NextDouble() * Math.PI, period = 3 + rng.NextDouble() * 9;
            int count = rng.Next(2, 8), length = rng.Next(8, canvasSide / 4), thickness = Math.Max(1, (int)(period * (0.2 + 0.3 * rng.NextDouble())));
            var start = new Point2d(rng.Next(canvasSide), rng.Next(canvasSide));
            var along = new Point2d(Math.Cos(angle), Math.Sin(angle));
            var across = new Point2d(-along.Y, along.X);
            for (int k = 0; k < count; k++)
            {
                var a = start + across * (k * period);
                var b = a + along * length;
                Cv2.Line(canvas, new Point((int)a.X, (int)a.Y), new Point((int)b.X, (int)b.Y), colour, thickness, LineTypes.AntiAlias);
            }
        }
        using var shaded = new Mat();
        canvas.ConvertTo(shaded, MatType.CV_32FC3);
        // Light falling across the scene, and sensor noise: smooth gradients and grain as photographs have them.
        using var light = new Mat(canvasSide, canvasSide, MatType.CV_32FC1);
        double gx = rng.NextDouble() * 0.5 - 0.25, gy = rng.NextDouble() * 0.5 - 0.25;
        for (int y = 0; y < canvasSide; y++)
        {
            for (int x = 0; x < canvasSide; x++)
            {
                light.Set(y, x, (float)(0.85 + gx * (x / (double)canvasSide - 0.5) + gy * (y / (double)canvasSide - 0.5)));
            }
        }
        using var light3 = new Mat();
        Cv2.Merge([light, light, light], light3);
        Cv2.Multiply(shaded, light3, shaded);
        // A lens's blur (0.6 to 1.6 output pixels): photographs resolve less than their pixel grid, so a network can
        // restore most of what the downscale took, and its error is as small as on photographs (see Int8Quantizer).
        Cv2.GaussianBlur(shaded, shaded, new Size(0, 0), 1.2 + rng.NextDouble() * 2);
        using var noise = new Mat(canvasSide, canvasSide, MatType.CV_32FC3);
        Cv2.Randn(noise, Scalar.All(0), Scalar.All(0.5 + 1.5 * rng.NextDouble()));
        Cv2.Add(shaded, noise, shaded);
        using var small = new Mat();
        Cv2.Resize(shaded, small, new Size(size, size), 0, 0, InterpolationFlags.Area);
        var image = new Mat();
        small.ConvertTo(image, MatType.CV_8UC3);
        return image;
    }

    // A third of the colours saturated (channels near 0 or 255), as flowers, paint and signs are.
    private static Scalar RandomColour(Random rng) => rng.NextDouble() < 1.0 / 3
        ? new(Extreme(rng), Extreme(rng), Extreme(rng))
        : new(rng.Next(20, 236), rng.Next(20, 236), rng.Next(20, 236));

    private static int Extreme(Random rng) => rng.NextDouble() < 0.5 ? rng.Next(0, 30) : rng.Next(226, 256);

    private static Scalar Vary(Scalar c, Random rng)
    {
        double k = 0.6 + 0.8 * rng.NextDouble();
        return new Scalar(Math.Clamp(c.Val0 * k, 0, 255), Math.Clamp(c.Val1 * k, 0, 255), Math.Clamp(c.Val2 * k, 0, 255));
    }
}
