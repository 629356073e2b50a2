using System.Runtime.InteropServices;
using NetVips;
using OpenCvSharp;
using SuperRes.Imaging.Vips;

namespace SuperRes.Imaging;

/// <summary>
/// Whole pictures in and out as OpenCV Mats, through libvips: for tools, benchmarks and tests that make or check
/// pixels (the upscaling pipeline itself streams through <see cref="ImageDecoder"/> and <see cref="ImageEncoder"/>).
/// Pixels come as stored, like OpenCV's IMREAD_UNCHANGED: grey stays one channel, colour is BGR, alpha a fourth
/// channel, 16 bits stay 16, and no EXIF orientation or colour profile is applied. OpenCV's own codecs are not used
/// in-process: they share symbols with the system codecs libvips loads, and the two together corrupt the heap.
/// </summary>
public static class ImageFiles
{
    public static Mat Read(string path) => Decode(File.ReadAllBytes(path));

    public static Mat Decode(byte[] data)
    {
        var format = ImageMetadataReader.Sniff(data);
        using var image = VipsInput.Load(data, format, Enums.Access.Random);
        return ToMat(image);
    }

    /// <summary>8- or 16-bit grey, BGR or BGRA pixels as a file of <paramref name="format"/>.</summary>
    public static byte[] Encode(Mat pixels, ImageFormat format, int quality = 95) =>
        ImageEncoder.Encode(pixels, new EncodeOptions(format, quality));

    /// <summary>Writes pixels to a file whose extension names the format.</summary>
    public static void Write(string path, Mat pixels, int quality = 95) =>
        File.WriteAllBytes(path, Encode(pixels, ImageFormats.Parse(Path.GetExtension(path))
            ?? throw new ArgumentException($"{Path.GetFileName(path)}: the extension names no format SuperRes writes ({ImageFormats.OutputList}).", nameof(path)), quality));

    /// <summary>A libvips image's pixels as a Mat: uchar or ushort samples (others cast), bands reordered to BGR(A).</summary>
    internal static Mat ToMat(Image image)
    {
        var source = image;
        Image? cast = null;
        if (image.Format is not (Enums.BandFormat.Uchar or Enums.BandFormat.Ushort))
        {
            cast = image.Format is Enums.BandFormat.Float or Enums.BandFormat.Double
                ? (image * 65535).Cast(Enums.BandFormat.Ushort)
                : image.Cast(Enums.BandFormat.Ushort);
            source = cast;
        }
        try
        {
            var depth = source.Format == Enums.BandFormat.Ushort ? MatType.CV_16U : MatType.CV_8U;
            int bands = source.Bands;
            using var raw = new Mat(source.Height, source.Width, MatType.MakeType(depth, bands));
            if (depth == MatType.CV_16U)
            {
                var samples = source.WriteToMemory<ushort>();
                Marshal.Copy(MemoryMarshal.Cast<ushort, short>(samples).ToArray(), 0, raw.Data, samples.Length);
            }
            else
            {
                var bytes = source.WriteToMemory<byte>();
                Marshal.Copy(bytes, 0, raw.Data, bytes.Length);
            }
            var mat = new Mat(source.Height, source.Width, MatType.MakeType(depth, bands));
            int[] order = bands switch
            {
                3 => [0, 2, 1, 1, 2, 0],
                4 => [0, 2, 1, 1, 2, 0, 3, 3],
                _ => Enumerable.Range(0, bands).SelectMany(b => new[] { b, b }).ToArray(),
            };
            Cv2.MixChannels([raw], [mat], order);
            return mat;
        }
        finally
        {
            cast?.Dispose();
        }
    }
}
