using OpenCvSharp;

namespace SuperRes.Testing;

/// <summary>How far apart two sRGB pictures look: CIEDE2000 (Sharma, Wu and Dalal's formulation) on CIELAB under D65.</summary>
public static class ColourDifference
{
    /// <summary>Mean ΔE2000 over all pixels of two 8-bit BGR pictures of one size, both read as sRGB.</summary>
    public static double MeanDeltaE2000(Mat a, Mat b)
    {
        if (a.Size() != b.Size() || a.Type() != MatType.CV_8UC3 || b.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Two 8-bit BGR pictures of one size are compared, not {a.Type()} {a.Size()} and {b.Type()} {b.Size()}.");
        }
        double total = 0;
        int rows = a.Rows, cols = a.Cols;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                total += DeltaE2000(Lab(a.At<Vec3b>(y, x)), Lab(b.At<Vec3b>(y, x)));
            }
        }
        return total / ((double)rows * cols);
    }

    public static (double L, double A, double B) Lab(Vec3b bgr)
    {
        static double Linear(byte v)
        {
            double c = v / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        double r = Linear(bgr.Item2), g = Linear(bgr.Item1), b = Linear(bgr.Item0);
        double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
        double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
        double fx = F(x), fy = F(y), fz = F(z);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    public static double DeltaE2000((double L, double A, double B) p, (double L, double A, double B) q)
    {
        double c1 = Math.Sqrt(p.A * p.A + p.B * p.B), c2 = Math.Sqrt(q.A * q.A + q.B * q.B);
        double cMean = (c1 + c2) / 2, c7 = Math.Pow(cMean, 7);
        double g = 0.5 * (1 - Math.Sqrt(c7 / (c7 + Math.Pow(25, 7))));
        double a1 = (1 + g) * p.A, a2 = (1 + g) * q.A;
        double cp1 = Math.Sqrt(a1 * a1 + p.B * p.B), cp2 = Math.Sqrt(a2 * a2 + q.B * q.B);
        double h1 = Hue(p.B, a1), h2 = Hue(q.B, a2);
        double dL = q.L - p.L, dC = cp2 - cp1;
        double dh = cp1 * cp2 == 0 ? 0 : Math.Abs(h2 - h1) <= 180 ? h2 - h1 : h2 - h1 > 180 ? h2 - h1 - 360 : h2 - h1 + 360;
        double dH = 2 * Math.Sqrt(cp1 * cp2) * Math.Sin(Radians(dh / 2));
        double lMean = (p.L + q.L) / 2, cpMean = (cp1 + cp2) / 2;
        double hMean = cp1 * cp2 == 0 ? h1 + h2 : Math.Abs(h1 - h2) <= 180 ? (h1 + h2) / 2 : h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
        double t = 1 - 0.17 * Math.Cos(Radians(hMean - 30)) + 0.24 * Math.Cos(Radians(2 * hMean)) + 0.32 * Math.Cos(Radians(3 * hMean + 6))
            - 0.20 * Math.Cos(Radians(4 * hMean - 63));
        double dTheta = 30 * Math.Exp(-Math.Pow((hMean - 275) / 25, 2));
        double cp7 = Math.Pow(cpMean, 7);
        double rc = 2 * Math.Sqrt(cp7 / (cp7 + Math.Pow(25, 7)));
        double sl = 1 + 0.015 * Math.Pow(lMean - 50, 2) / Math.Sqrt(20 + Math.Pow(lMean - 50, 2));
        double sc = 1 + 0.045 * cpMean, sh = 1 + 0.015 * cpMean * t;
        double rt = -Math.Sin(Radians(2 * dTheta)) * rc;
        return Math.Sqrt(Math.Pow(dL / sl, 2) + Math.Pow(dC / sc, 2) + Math.Pow(dH / sh, 2) + rt * (dC / sc) * (dH / sh));
    }

    private static double Hue(double b, double a)
    {
        double h = Math.Atan2(b, a) * 180 / Math.PI;
        return h < 0 ? h + 360 : h;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
