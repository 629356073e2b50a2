using OpenCvSharp;
using SuperRes.Imaging;

namespace SuperRes.Testing;

/// <summary>
/// Test pictures in and out through libvips (SuperRes's <see cref="ImageFiles"/>), never through OpenCV's own codecs:
/// those share symbols with the system codecs libvips loads, and the two in one process corrupt the heap.
/// </summary>
public static class TestImage
{
    /// <summary>As stored: grey one channel, colour BGR, alpha a fourth channel, 16 bits kept (OpenCV's IMREAD_UNCHANGED).</summary>
    public static Mat Read(string path) => ImageFiles.Read(path);

    public static Mat Decode(byte[] data) => ImageFiles.Decode(data);

    /// <summary>8-bit BGR whatever is stored (OpenCV's IMREAD_COLOR): grey spread to three channels, alpha dropped.</summary>
    public static Mat ReadColour(string path) => Colour(ImageFiles.Read(path));

    public static Mat DecodeColour(byte[] data) => Colour(ImageFiles.Decode(data));

    /// <summary>The file of <paramref name="extension"/> (".png", ".jpg", ...) holding these pixels; JPEG at <paramref name="quality"/>.</summary>
    public static byte[] Encode(Mat pixels, string extension, int quality = 95) =>
        ImageFiles.Encode(pixels, ImageFormats.Parse(extension) ?? throw new ArgumentException(extension), quality);

    public static void Write(string path, Mat pixels) => ImageFiles.Write(path, pixels);

    private static Mat Colour(Mat raw)
    {
        using (raw)
        {
            var colour = new Mat();
            switch (raw.Channels())
            {
                case 1:
                    Cv2.CvtColor(raw, colour, ColorConversionCodes.GRAY2BGR);
                    break;
                case 4:
                    Cv2.CvtColor(raw, colour, ColorConversionCodes.BGRA2BGR);
                    break;
                default:
                    raw.CopyTo(colour);
                    break;
            }
            if (colour.Depth() == MatType.CV_16U)
            {
                colour.ConvertTo(colour, MatType.CV_8UC3, 1.0 / 257);
            }
            return colour;
        }
    }
}
