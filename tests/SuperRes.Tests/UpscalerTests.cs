using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Tests.Support;

namespace SuperRes.Tests;

/// <summary>The façade end to end: bytes in, bytes out, for the kinds of input users bring.</summary>
public class UpscalerTests
{
    private static Upscaler Upscaler => TestModels.Upscaler;

    [Theory]
    [InlineData(null, 2)]
    [InlineData(null, 3)]
    [InlineData(null, 4)]
    [InlineData("esrgan-thick", 8)]
    public async Task Default_model_works_at_every_scale_and_x8_comes_from_esrgan(string? model, int scale)
    {
        using var hr = TestData.Read(TestData.Set5Image("bird"));
        using var crop = new Mat(hr, new Rect(96, 64, 16 * scale, 12 * scale));
        using var lr = new Mat();
        Cv2.Resize(crop, lr, new Size(16, 12), 0, 0, InterpolationFlags.Area);
        var png = TestImage.Encode(lr, ".png");
        var result = await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = model, Scale = scale });
        Assert.Equal(model ?? "superres-edsr", result.Model);
        using var sr = TestImage.Decode(result.Data);
        Assert.Equal(new Size(16 * scale, 12 * scale), sr.Size());
        // It is the picture, upscaled: close to the original crop.
        Assert.True(Pixels.Psnr(crop.Clone(), sr) > 20, $"x{scale}: PSNR {Pixels.Psnr(crop.Clone(), sr):F1} dB against the original");
    }

    [Fact]
    public async Task Alpha_is_upscaled_aligned_and_clean()
    {
        // An opaque disk on a transparent background, off-centre so misalignment shows.
        using var bgra = new Mat(40, 48, MatType.CV_8UC4, new Scalar(0, 0, 0, 0));
        Cv2.Circle(bgra, new Point(18, 22), 10, new Scalar(40, 160, 220, 255), -1);
        var png = TestImage.Encode(bgra, ".png");
        var result = await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = "esrgan-slim", Scale = 3 });
        using var sr = TestImage.Decode(result.Data);
        Assert.Equal(4, sr.Channels());
        using var alpha = sr.ExtractChannel(3);
        // Aligned: the alpha centroid sits where the disk centre maps (pixel centres: 3 * (c + 0.5) - 0.5).
        var m = Cv2.Moments(alpha);
        Assert.InRange(m.M10 / m.M00, 3 * 18.5 - 0.5 - 0.5, 3 * 18.5 - 0.5 + 0.5);
        Assert.InRange(m.M01 / m.M00, 3 * 22.5 - 0.5 - 0.5, 3 * 22.5 - 0.5 + 0.5);
        // Clean: fully transparent far outside, fully opaque inside.
        Assert.Equal(0, alpha.At<byte>(5, 5));
        Assert.Equal(0, alpha.At<byte>(110, 140));
        Assert.Equal(255, alpha.At<byte>(67, 55));
        // The colour under the opaque disk is the disk's colour.
        var inside = sr.At<Vec4b>(67, 55);
        Assert.InRange(inside.Item2, 200, 240);
    }

    [Fact]
    public async Task Grey_input_gives_grey_output()
    {
        using var bird = TestData.Read(TestData.Set5Lr("bird", 4));
        using var grey = new Mat();
        Cv2.CvtColor(bird, grey, ColorConversionCodes.BGR2GRAY);
        var png = TestImage.Encode(grey, ".png");
        var result = await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = "esrgan-slim", Scale = 2 });
        using var sr = TestImage.Decode(result.Data);
        Assert.Equal(1, sr.Channels());
        Assert.Equal(new Size(144, 144), sr.Size());
    }

    [Fact]
    public async Task Sixteen_bit_input_stays_sixteen_bit_in_png_and_tiff()
    {
        using var bird = TestData.Read(TestData.Set5Lr("bird", 4));
        using var sixteen = new Mat();
        bird.ConvertTo(sixteen, MatType.CV_16UC3, 257);
        var png = TestImage.Encode(sixteen, ".png");
        foreach (var format in new[] { ImageFormat.Png, ImageFormat.Tiff })
        {
            var result = await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Format = format });
            using var sr = TestImage.Decode(result.Data);
            Assert.Equal(MatType.CV_16UC3, sr.Type());
            // Real 16-bit output: most values fall between the 257-wide steps of 8-bit data.
            var values = new ushort[sr.Total() * 3];
            using (var flat = sr.Reshape(1))
            {
                flat.GetArray(out values);
            }
            Assert.True(values.Count(v => v % 257 != 0) > values.Length / 2);
        }
        var jpeg = await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Format = ImageFormat.Jpeg });
        using var eight = TestImage.Decode(jpeg.Data);
        Assert.Equal(MatType.CV_8UC3, eight.Type());
    }

    [Fact]
    public async Task Exif_rotated_photo_comes_out_upright()
    {
        using var stored = new Mat(24, 40, MatType.CV_8UC3, Scalar.All(30));
        stored[new Rect(0, 0, 10, 6)].SetTo(Scalar.All(250));
        var jpeg = TestImage.Encode(stored, ".jpg", 100);
        var rotated = ExifSamples.JpegWithOrientation(jpeg, 6); // camera held upright: rotate 90 degrees clockwise
        var result = await Upscaler.UpscaleAsync(rotated, new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Format = ImageFormat.Png });
        using var sr = TestImage.Decode(result.Data);
        Assert.Equal(new Size(48, 80), sr.Size());
        Assert.True(sr.At<Vec3b>(4, 42).Item0 > 200, "the stored top-left block should now be top-right");
        Assert.Equal(1, ImageMetadataReader.ReadOrientation(result.Data)); // nothing left to rotate
    }

    [Fact]
    public async Task Icc_profile_of_the_input_is_kept()
    {
        var profile = IccProfiles.DisplayP3;
        using var bird = TestData.Read(TestData.Set5Lr("bird", 4));
        var png = ImageEncoder.Encode(bird, new EncodeOptions(ImageFormat.Png), profile);
        foreach (var format in new[] { ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP, ImageFormat.Tiff, ImageFormat.Avif })
        {
            var result = await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Format = format });
            Assert.True(result.ConvertedColour);
            Assert.Equal(profile, ImageMetadataReader.ReadIccProfile(result.Data));
        }
    }

    [Fact]
    public async Task Cancellation_stops_the_work()
    {
        var png = File.ReadAllBytes(TestData.Set5Image("baby"));
        using var cts = new CancellationTokenSource();
        var progress = new Progress<UpscaleProgress>(p =>
        {
            if (p.TilesDone >= 1)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Upscaler.UpscaleAsync(png, new UpscaleRequest { Scale = 2, TileSize = 64 }, progress, cts.Token));
    }

    [Fact]
    public async Task Progress_counts_every_tile()
    {
        var png = File.ReadAllBytes(TestData.Set5Lr("baby", 4)); // 128x128, 4 tiles of 64
        var seen = new List<UpscaleProgress>();
        var lockObj = new object();
        await Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = "esrgan-slim", Scale = 2, TileSize = 64 },
            new InlineProgress(p => { lock (lockObj) { seen.Add(p); } }));
        Assert.Equal(4, seen.Max(p => p.TilesTotal));
        Assert.Contains(seen, p => p.TilesDone == 4);
    }

    private sealed class InlineProgress(Action<UpscaleProgress> report) : IProgress<UpscaleProgress>
    {
        public void Report(UpscaleProgress value) => report(value);
    }
}
