using OpenCvSharp;
using SuperRes.Imaging;

namespace SuperRes.Quality;

/// <summary>
/// The plane the protocol scores: the Y channel of BT.601 YCbCr (studio range 16..235) of an 8-bit BGR image,
/// as MATLAB's rgb2ycbcr gives it, in double precision; a single-channel image is scored on its own grey
/// values, as the literature's evaluation code does (it calls rgb2ycbcr only on three-channel images).
/// </summary>
public static class LumaY
{
    public static double[,] From(Mat image)
    {
        int h = image.Rows, w = image.Cols, c = image.Channels();
        var bytes = MatBytes.Read(image);
        var y = new double[h, w];
        for (int r = 0; r < h; r++)
        {
            for (int x = 0; x < w; x++)
            {
                int o = (r * w + x) * c;
                y[r, x] = c == 1
                    ? bytes[o]
                    : 16 + (65.481 * bytes[o + 2] + 128.553 * bytes[o + 1] + 24.966 * bytes[o]) / 255.0;
            }
        }

        return y;
    }

    /// <summary>Drops <paramref name="border"/> pixels on every side (the protocol shaves `scale` pixels).</summary>
    public static double[,] Shave(double[,] y, int border)
    {
        int h = y.GetLength(0) - 2 * border, w = y.GetLength(1) - 2 * border;
        var r = new double[h, w];
        for (int i = 0; i < h; i++)
        {
            for (int j = 0; j < w; j++)
            {
                r[i, j] = y[i + border, j + border];
            }
        }

        return r;
    }
}
