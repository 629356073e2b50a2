using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Imaging;

public class ImageEncoderTests
{
    public static TheoryData<ImageFormat> Formats => [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP, ImageFormat.Tiff, ImageFormat.Bmp];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_format_round_trips(ImageFormat format)
    {
        using var source = TestData.Read(TestData.Set5Image("butterfly"));
        // JPEG and WebP are lossy, so they are held to a PSNR instead.
        var bytes = ImageEncoder.Encode(source, new EncodeOptions(format, 95));
        Assert.Equal(format, ImageFormats.Detect(bytes));
        using var decoded = ImageDecoder.Decode(bytes);
        var back = decoded.Colour;
        if (format is ImageFormat.Jpeg or ImageFormat.WebP)
        {
            Assert.True(Pixels.Psnr(source, back) > 35);
        }
        else
        {
            Assert.Equal(0, Pixels.MaxAbsDiff(source, back));
        }
    }

    [Theory]
    [InlineData(ImageFormat.Jpeg, 3)]
    [InlineData(ImageFormat.Tiff, 3)]
    [InlineData(ImageFormat.WebP, 4)]
    public void Pixels_given_away_are_written_as_the_callers_are_and_the_callers_are_left_as_they_were(ImageFormat format, int channels)
    {
        // The upscaler's output is reordered for libvips where it lies (EncodeDiscarding); a caller's Mat is copied.
        using var butterfly = TestData.Read(TestData.Set5Image("butterfly"));
        using var source = butterfly.Clone();
        if (channels == 4)
        {
            Cv2.CvtColor(butterfly, source, ColorConversionCodes.BGR2BGRA);
        }
        using var kept = source.Clone();
        var options = new EncodeOptions(format, 90);
        var copied = ImageEncoder.Encode(source, options);
        Assert.Equal(0, Pixels.MaxAbsDiff(kept, source));
        var givenAway = ImageEncoder.EncodeDiscarding(source, options, null, fromSrgb: false);
        Assert.Equal(copied, givenAway);
        Assert.NotEqual(0, Pixels.MaxAbsDiff(kept, source)); // reordered where it lay: what the memory saving is
    }

    [Theory]
    [InlineData(ImageFormat.Png, 4)]
    [InlineData(ImageFormat.Tiff, 4)]
    [InlineData(ImageFormat.WebP, 4)]
    [InlineData(ImageFormat.Jpeg, 3)]
    [InlineData(ImageFormat.Bmp, 3)]
    public void Alpha_is_kept_where_the_format_holds_it(ImageFormat format, int expectedChannels)
    {
        using var bgra = new Mat(6, 6, MatType.CV_8UC4, new Scalar(10, 20, 30, 77));
        var bytes = ImageEncoder.Encode(bgra, new EncodeOptions(format, 95));
        using var raw = TestImage.Decode(bytes);
        Assert.Equal(expectedChannels, raw.Channels());
        if (expectedChannels == 4)
        {
            Assert.Equal(77, raw.At<Vec4b>(0, 0).Item3);
        }
    }

    [Theory]
    [InlineData(ImageFormat.Png, MatType.CV_16U)]
    [InlineData(ImageFormat.Tiff, MatType.CV_16U)]
    [InlineData(ImageFormat.Jpeg, MatType.CV_8U)]
    [InlineData(ImageFormat.WebP, MatType.CV_8U)]
    public void Sixteen_bits_are_kept_where_the_format_holds_them(ImageFormat format, int expectedDepth)
    {
        using var sixteen = new Mat(6, 6, MatType.CV_16UC3, new Scalar(1000, 30000, 65535));
        var bytes = ImageEncoder.Encode(sixteen, new EncodeOptions(format));
        using var raw = TestImage.Decode(bytes);
        Assert.Equal(expectedDepth, raw.Depth());
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    [InlineData(ImageFormat.Tiff)]
    [InlineData(ImageFormat.Avif)]
    public void Icc_profile_is_embedded_and_read_back(ImageFormat format)
    {
        // A real profile (libpng refuses to embed bytes that are not one), carried unchanged by every container that holds one.
        var profile = IccProfiles.DisplayP3;
        using var image = TestData.Read(TestData.Set5Image("bird"));
        var bytes = ImageEncoder.Encode(image, new EncodeOptions(format), profile);
        Assert.Equal(profile, ImageMetadataReader.ReadIccProfile(bytes));
        using var decoded = ImageDecoder.Decode(bytes); // still a valid file
        Assert.Equal(profile, decoded.IccProfile);
    }
}
