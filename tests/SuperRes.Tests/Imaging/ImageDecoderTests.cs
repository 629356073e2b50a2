using System.Buffers.Binary;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Imaging;

public class ImageDecoderTests
{
    private static byte[] Bird => File.ReadAllBytes(TestData.Set5Image("bird"));

    [Fact]
    public void Zero_byte_file_is_refused_as_empty()
    {
        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode([]));
        Assert.Equal(InvalidImageReason.Empty, e.Reason);
    }

    [Fact]
    public void Unknown_bytes_are_refused_as_unsupported()
    {
        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode("%PDF-1.7 not a picture"u8.ToArray()));
        Assert.Equal(InvalidImageReason.UnsupportedFormat, e.Reason);
        Assert.Equal("The file is not a PNG, JPEG, WebP, TIFF, BMP, HEIC, AVIF or GIF image.", e.Message);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    [InlineData(".webp")]
    [InlineData(".tiff")]
    [InlineData(".bmp")]
    public void Truncated_files_are_refused_as_corrupt(string extension)
    {
        using var image = TestData.Read(TestData.Set5Image("bird"));
        var bytes = TestImage.Encode(image, extension);
        var truncated = bytes.AsSpan(0, bytes.Length / 2).ToArray();
        // Rows are decoded as they are read: the damage shows by the last row at the latest.
        var e = Assert.Throws<InvalidImageException>(() =>
        {
            using var image = ImageDecoder.Decode(truncated);
            _ = image.Colour;
        });
        Assert.Equal(InvalidImageReason.Corrupt, e.Reason);
    }

    [Fact]
    public void Png_with_garbage_pixel_data_is_refused_as_corrupt()
    {
        var bytes = Bird;
        for (int i = 100; i < bytes.Length - 20; i++)
        {
            bytes[i] = (byte)(i * 31);
        }
        Assert.Throws<InvalidImageException>(() =>
        {
            using var image = ImageDecoder.Decode(bytes);
            _ = image.Colour;
        });
    }

    [Fact]
    public void Size_limit_is_checked_from_the_header_before_decoding()
    {
        // A small PNG whose header (CRC and all) claims 100000 x 100000 pixels: 30 GB if anything decoded it.
        using var small = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(9));
        var header = HostileImages.PngClaiming(TestImage.Encode(small, ".png"), 100_000, 100_000);
        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(header, new ImageLimits { MaxMegapixels = 50, Oversize = OversizePolicy.Reject }));
        Assert.Equal(InvalidImageReason.TooLarge, e.Reason);
        Assert.Contains("100000x100000", e.Message);
    }

    [Fact]
    public void Oversize_input_is_downscaled_to_the_limit_when_asked()
    {
        using var image = ImageDecoder.Decode(Bird, new ImageLimits { MaxMegapixels = 0.02, Oversize = OversizePolicy.Downscale, MaxDecodeMegapixels = 1 }); // bird is 288x288 = 0.083 MP
        Assert.True(image.WasDownscaled);
        Assert.True(image.Width * image.Height <= 20_000);
        Assert.InRange(image.Width, 138, 142);
    }

    [Fact]
    public void Grayscale_png_decodes_as_grey()
    {
        using var grey = new Mat();
        using var bird = TestData.Read(TestData.Set5Image("bird"));
        Cv2.CvtColor(bird, grey, ColorConversionCodes.BGR2GRAY);
        var bytes = TestImage.Encode(grey, ".png");
        using var image = ImageDecoder.Decode(bytes);
        Assert.True(image.IsGrayscale);
        Assert.Null(image.Alpha);
        Assert.Equal(8, image.BitDepth);
    }

    [Fact]
    public void Sixteen_bit_png_keeps_its_precision()
    {
        using var sixteen = new Mat(8, 8, MatType.CV_16UC3, new Scalar(1000, 30000, 65535));
        var bytes = TestImage.Encode(sixteen, ".png");
        using var image = ImageDecoder.Decode(bytes);
        Assert.Equal(16, image.BitDepth);
        Assert.Equal(MatType.CV_16UC3, image.Colour.Type());
        var px = image.Colour.At<Vec3w>(0, 0);
        Assert.Equal(1000, px.Item0);
        Assert.Equal(30000, px.Item1);
        using var unit = image.UnitFloat(new Rect(0, 0, 1, 1));
        Assert.Equal(30000 / 65535f, unit.At<Vec3f>(0, 0).Item1, 6);
    }

    [Fact]
    public void Alpha_is_split_off_at_source_depth()
    {
        using var bgra = new Mat(4, 5, MatType.CV_8UC4, new Scalar(10, 20, 30, 128));
        var bytes = TestImage.Encode(bgra, ".png");
        using var image = ImageDecoder.Decode(bytes);
        Assert.NotNull(image.Alpha);
        Assert.Equal(128, image.Alpha!.At<byte>(0, 0));
        Assert.Equal(MatType.CV_8UC1, image.Alpha.Type());
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(6, true)]
    [InlineData(8, true)]
    public void Exif_orientation_is_applied(int orientation, bool swapsSides)
    {
        // 40 wide, 20 high, a white block in the top-left corner.
        using var stored = new Mat(20, 40, MatType.CV_8UC3, Scalar.All(0));
        stored[new Rect(0, 0, 10, 5)].SetTo(Scalar.All(255));
        var jpeg = TestImage.Encode(stored, ".jpg", 100);
        using var image = ImageDecoder.Decode(ExifSamples.JpegWithOrientation(jpeg, orientation));
        Assert.Equal(swapsSides ? 20 : 40, image.Width);
        Assert.Equal(swapsSides ? 40 : 20, image.Height);
        // Where the stored top-left block lands: 6 (rotate 90 CW) -> top-right, 8 (90 CCW) -> bottom-left, 3 -> bottom-right.
        var (x, y) = orientation switch { 1 => (2, 2), 3 => (37, 17), 6 => (17, 2), _ => (2, 37) };
        Assert.True(image.Colour.At<Vec3b>(y, x).Item0 > 230, $"block not at ({x},{y}) for orientation {orientation}");
    }

    [Fact]
    public void Header_reader_gives_sizes_for_every_format()
    {
        using var image = TestData.Read(TestData.Set5Image("woman")); // 228x344
        foreach (var ext in new[] { ".png", ".jpg", ".webp", ".tiff", ".bmp" })
        {
            var bytes = TestImage.Encode(image, ext);
            var header = ImageMetadataReader.ReadHeader(bytes);
            Assert.Equal((228, 344), (header.Width, header.Height));
            Assert.Equal(ImageFormats.Parse(ext), header.Format);
        }
    }
}
