using OpenCvSharp;
using SuperRes.Imaging;

namespace SuperRes.Cli.Commands.Bench;

/// <summary>A deterministic photo-like test image (gradients, edges, texture) so speed runs need no data set.</summary>
public static class SyntheticImage
{
    public static byte[] Png(int width, int height, int seed = 7)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        var rng = new Random(seed);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image.Set(y, x, new Vec3b((byte)(255 * x / Math.Max(1, width - 1)), (byte)(255 * y / Math.Max(1, height - 1)), (byte)rng.Next(96, 160)));
            }
        }

        for (int i = 0; i < 12; i++)
        {
            var centre = new Point(rng.Next(width), rng.Next(height));
            Cv2.Circle(image, centre, rng.Next(2, Math.Max(3, width / 6)), new Scalar(rng.Next(256), rng.Next(256), rng.Next(256)), rng.Next(1, 4));
        }
        var png = ImageFiles.Encode(image, ImageFormat.Png);
        return png;
    }
}
