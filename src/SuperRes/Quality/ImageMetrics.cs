namespace SuperRes.Quality;

/// <summary>PSNR and SSIM on single-channel images with values in [0, 255].</summary>
public static class ImageMetrics
{
    public static double Psnr(double[,] a, double[,] b)
    {
        CheckSameSize(a, b);
        double sum = 0;
        foreach (var (x, y) in Pairs(a, b))
        {
            sum += (x - y) * (x - y);
        }
        double mse = sum / a.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Mean SSIM (Wang et al. 2004): 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, over the valid region.</summary>
    public static double Ssim(double[,] a, double[,] b)
    {
        CheckSameSize(a, b);
        const int radius = 5;
        const double c1 = 0.01 * 255 * 0.01 * 255, c2 = 0.03 * 255 * 0.03 * 255;
        var window = Gaussian(radius, 1.5);
        int h = a.GetLength(0), w = a.GetLength(1);
        if (h <= 2 * radius || w <= 2 * radius)
        {
            throw new ArgumentException("SSIM needs images larger than 11x11.");
        }
        double total = 0;
        int count = 0;
        for (int y = radius; y < h - radius; y++)
        {
            for (int x = radius; x < w - radius; x++)
            {
                double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
                for (int dy = -radius; dy <= radius; dy++)
                {
                    for (int dx = -radius; dx <= radius; dx++)
                    {
                        double g = window[dy + radius, dx + radius];
                        double va = a[y + dy, x + dx], vb = b[y + dy, x + dx];
                        ma += g * va;
                        mb += g * vb;
                        saa += g * va * va;
                        sbb += g * vb * vb;
                        sab += g * va * vb;
                    }
                }

                double varA = saa - ma * ma, varB = sbb - mb * mb, cov = sab - ma * mb;
                total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (varA + varB + c2));
                count++;
            }
        }

        return total / count;
    }

    private static double[,] Gaussian(int radius, double sigma)
    {
        int n = 2 * radius + 1;
        var g = new double[n, n];
        double sum = 0;
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                double dy = y - radius, dx = x - radius;
                sum += g[y, x] = Math.Exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            }
        }

        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                g[y, x] /= sum;
            }
        }

        return g;
    }

    private static IEnumerable<(double, double)> Pairs(double[,] a, double[,] b)
    {
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                yield return (a[i, j], b[i, j]);
            }
        }
    }

    private static void CheckSameSize(double[,] a, double[,] b)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1))
        {
            throw new ArgumentException($"Images differ in size: {a.GetLength(1)}x{a.GetLength(0)} vs {b.GetLength(1)}x{b.GetLength(0)}.");
        }
    }
}
