using NetVips;
using SuperRes.Imaging;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Imaging;

/// <summary>HEIC (iPhones), AVIF and animated GIF in, made here with libvips' own writers (libheif: x265 and aom).</summary>
public class PhoneFormatTests
{
    private static Upscaler Upscaler => TestModels.Upscaler;

    private static Image Bird() => Image.NewFromBuffer(File.ReadAllBytes(TestData.Set5Lr("bird", 3)));

    private static byte[] Heic() => PhonePhotos.Heic();

    private static byte[] Avif() => PhonePhotos.Avif();

    [Fact]
    public async Task A_heic_photo_upscales_and_comes_out_as_jpeg()
    {
        var heic = Heic();
        Assert.Equal(ImageFormat.Heic, ImageFormats.Detect(heic));
        var header = ImageMetadataReader.ReadHeader(heic);
        Assert.Equal((96, 96), (header.Width, header.Height));
        var result = await Upscaler.UpscaleAsync(heic, new UpscaleRequest { Scale = 3, Restore = Restore.Fixed(0) });
        Assert.Equal(ImageFormat.Jpeg, result.Format);
        using var output = TestImage.Decode(result.Data);
        Assert.Equal(new OpenCvSharp.Size(288, 288), output.Size());
        using var hr = TestData.Read(TestData.Set5Image("bird"));
        // HEVC at quality 80 with 4:2:0 chroma costs some detail; the picture is there all the same.
        Assert.True(Pixels.Psnr(hr, output) > 25, $"PSNR {Pixels.Psnr(hr, output):0.0} against the original");
    }

    [Fact]
    public async Task An_avif_photo_upscales_to_avif()
    {
        var avif = Avif();
        Assert.Equal(ImageFormat.Avif, ImageFormats.Detect(avif));
        var result = await Upscaler.UpscaleAsync(avif, new UpscaleRequest { Scale = 2, Restore = Restore.Fixed(0) });
        Assert.Equal(ImageFormat.Avif, result.Format);
        Assert.Equal(ImageFormat.Avif, ImageFormats.Detect(result.Data));
        Assert.Equal((192, 192), (result.Width, result.Height));
    }

    [Fact]
    public async Task Only_the_first_frame_of_an_animation_is_upscaled_and_the_result_says_so()
    {
        using var bird = Bird();
        using var flipped = bird.FlipHor();
        using var strip = bird.Join(flipped, Enums.Direction.Vertical);
        using var paged = strip.Mutate(m => m.Set(GValue.GIntType, "page-height", 96));
        var gif = paged.GifsaveBuffer();
        Assert.Equal(2, ImageMetadataReader.ReadHeader(gif).Frames);
        var result = await Upscaler.UpscaleAsync(gif, new UpscaleRequest { Scale = 2, Restore = Restore.Fixed(0) });
        Assert.Equal((192, 192), (result.Width, result.Height));
        Assert.Equal(ImageFormat.Png, result.Format);
        Assert.Contains(UpscaleResult.FramesNote(2), result.Notes);
    }
}
