using NetVips;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Imaging;

/// <summary>
/// The model learnt sRGB, so a picture with another profile is converted to sRGB first, upscaled, and converted back
/// (keep) or left in sRGB (srgb). Pictures and profiles are made here: a Display P3 photo is Set5's bird whose values
/// are read as P3, so its colours are more saturated than the same values in sRGB.
/// </summary>
public class ColourManagementTests
{
    private static Upscaler Upscaler => TestModels.Upscaler;

    private static readonly UpscaleRequest Request = new() { Scale = 3, Format = ImageFormat.Png, Restore = Restore.Fixed(0) };

    private static byte[] P3Photo()
    {
        using var bird = TestData.Read(TestData.Set5Lr("bird", 3)); // 96x96
        return ImageEncoder.Encode(bird, new EncodeOptions(ImageFormat.Png), IccProfiles.DisplayP3);
    }

    /// <summary>The picture's colours converted to sRGB by lcms through libvips, as an untagged 8-bit BGR Mat.</summary>
    private static Mat ToSrgb(byte[] file)
    {
        using var image = Image.NewFromBuffer(file);
        using var srgb = image.IccTransform("srgb", embedded: true, intent: Enums.Intent.Relative);
        using var plain = srgb.Mutate(m => m.Remove("icc-profile-data"));
        return ImageFiles.ToMat(plain);
    }

    [Fact]
    public async Task A_display_p3_photo_upscaled_to_srgb_matches_its_own_srgb_conversion_upscaled()
    {
        var p3 = P3Photo();
        var direct = await Upscaler.UpscaleAsync(p3, Request with { Colour = ColourMode.Srgb });
        Assert.True(direct.ConvertedColour);
        Assert.Null(ImageMetadataReader.ReadIccProfile(direct.Data)); // sRGB, untagged

        using var converted = ToSrgb(p3);
        var viaSrgb = await Upscaler.UpscaleAsync(ImageFiles.Encode(converted, ImageFormat.Png), Request);
        using var a = TestImage.Decode(direct.Data);
        using var b = TestImage.Decode(viaSrgb.Data);
        double difference = ColourDifference.MeanDeltaE2000(a, b);
        Assert.True(difference <= 2, $"mean ΔE2000 {difference:0.00}");

        // Without colour management (the P3 values taken as sRGB) the result is visibly off: what this fixes.
        using var unmanaged = TestImage.Decode((await Upscaler.UpscaleAsync(ImageFiles.Encode(TestData.Read(TestData.Set5Lr("bird", 3)), ImageFormat.Png), Request)).Data);
        double off = ColourDifference.MeanDeltaE2000(unmanaged, b);
        Assert.True(off > 2 * Math.Max(difference, 0.5), $"unmanaged ΔE2000 {off:0.00} against {difference:0.00} managed");
    }

    [Fact]
    public async Task Kept_in_its_own_profile_the_result_reads_back_to_the_same_colours()
    {
        var p3 = P3Photo();
        var kept = await Upscaler.UpscaleAsync(p3, Request); // keep is the default
        Assert.Equal(IccProfiles.DisplayP3, ImageMetadataReader.ReadIccProfile(kept.Data));
        using var converted = ToSrgb(p3);
        var viaSrgb = await Upscaler.UpscaleAsync(ImageFiles.Encode(converted, ImageFormat.Png), Request);
        using var read = ToSrgb(kept.Data); // what a colour-managed viewer shows
        using var b = TestImage.Decode(viaSrgb.Data);
        double difference = ColourDifference.MeanDeltaE2000(read, b);
        Assert.True(difference <= 2, $"mean ΔE2000 {difference:0.00}");
    }

    [Fact]
    public async Task A_cmyk_jpeg_comes_out_as_srgb()
    {
        using var bird = TestData.Read(TestData.Set5Lr("bird", 3));
        var png = ImageFiles.Encode(bird, ImageFormat.Png);
        using var srgb = Image.NewFromBuffer(png);
        using var cmyk = srgb.IccTransform("cmyk", inputProfile: "srgb", intent: Enums.Intent.Relative);
        var jpeg = cmyk.JpegsaveBuffer(q: 95);
        Assert.Equal(Enums.Interpretation.Cmyk, Image.NewFromBuffer(jpeg).Interpretation);

        var result = await Upscaler.UpscaleAsync(jpeg, Request);
        using var output = TestImage.Decode(result.Data);
        Assert.Equal(3, output.Channels());
        Assert.Null(ImageMetadataReader.ReadIccProfile(result.Data));
        var plain = await Upscaler.UpscaleAsync(png, Request);
        using var reference = TestImage.Decode(plain.Data);
        double difference = ColourDifference.MeanDeltaE2000(output, reference);
        // A trip through a generic press profile (its gamut and black generation) costs a few ΔE; raw CMYK read as RGB would be far off.
        Assert.True(difference <= 6, $"mean ΔE2000 {difference:0.00} after a trip through CMYK");
    }

    [Fact]
    public async Task A_profile_over_the_cap_is_left_out_with_a_note()
    {
        var p3 = P3Photo();
        var result = await Upscaler.UpscaleAsync(p3, Request with { Limits = new ImageLimits { MaxIccProfileBytes = 100 } });
        Assert.True(result.IccProfileDropped);
        Assert.False(result.ConvertedColour);
        Assert.Contains(UpscaleResult.IccDroppedNote, result.Notes);
        Assert.Null(ImageMetadataReader.ReadIccProfile(result.Data));
    }
}
