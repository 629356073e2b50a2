using System.Buffers.Binary;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Imaging;

/// <summary>
/// Files made to hurt: each is decoded within its budget or refused with the library's own error, never
/// an unexpected exception, and never with memory out of proportion to what the header admits.
/// </summary>
[Collection(SerialCollection.Name)]
public class HostileInputTests
{
    private static readonly ImageLimits Limits = new() { MaxMegapixels = 4, Oversize = OversizePolicy.Reject, MaxOutputMegapixels = 64 };

    [Fact]
    public void An_icc_bomb_is_read_with_a_cap_and_dropped_from_the_output()
    {
        var bomb = HostileImages.IccBombPng(600L << 20); // 600 MB once inflated, about 600 kB on disk
        Assert.InRange(bomb.Length, 1, 1 << 20);
        DecodedImage? image = null;
        long growth = PeakMemory.GrowthDuring(() => image = ImageDecoder.Decode(bomb, Limits));
        using (image)
        {
            Assert.True(image!.IccProfileDropped);
            Assert.Null(image.IccProfile);
            Assert.Equal(8, image.Width);
        }
        Assert.True(growth < 100L << 20, $"decoding the ICC bomb raised the peak by {growth >> 20} MB");
    }

    [Fact]
    public async Task An_icc_bomb_upscales_without_the_profile_and_says_so()
    {
        var bomb = HostileImages.IccBombPng(64L << 20);
        var result = await TestModels.Upscaler.UpscaleAsync(bomb, new UpscaleRequest { Scale = 3, Format = ImageFormat.Png, Limits = Limits });
        Assert.True(result.IccProfileDropped);
        Assert.Null(ImageMetadataReader.ReadIccProfile(result.Data));
        Assert.Equal(24, result.Width);
    }

    [Fact]
    public void A_tiny_tiff_with_huge_tiles_is_refused_before_decoding()
    {
        var tiff = HostileImages.TiledTiff(1, 1, 65536, 65536);
        InvalidImageException? error = null;
        long growth = PeakMemory.GrowthDuring(() => error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(tiff, Limits)));
        Assert.Equal(InvalidImageReason.Corrupt, error!.Reason);
        Assert.Contains("65536x65536 tiles", error.Message);
        Assert.True(growth < 50L << 20, $"refusing the TIFF raised the peak by {growth >> 20} MB");
    }

    [Fact]
    public void A_tiff_with_tiles_that_fit_its_image_still_decodes()
    {
        // The check is against the image rounded up to the 16-pixel tile grid, not a blanket refusal of tiles.
        var tiff = HostileImages.TiledTiff(10, 10, 16, 16);
        var header = ImageMetadataReader.ReadHeader(tiff);
        Assert.Equal((10, 10), (header.Width, header.Height));
    }

    [Fact]
    public void A_webp_whose_first_chunk_is_not_an_image_is_refused()
    {
        // libwebp reads header and pixels both, so there is no second reader to disagree with: it refuses the file.
        var webp = HostileImages.Seeds()[".webp"];
        var lying = HostileImages.WebPWithLeadingChunk(webp, "JUNK", new byte[20]);
        var e = Assert.Throws<InvalidImageException>(() => ImageMetadataReader.ReadHeader(lying));
        Assert.Equal(InvalidImageReason.Corrupt, e.Reason);
        Assert.Equal("The WebP file could not be decoded; it is corrupt or truncated.", e.Message);
    }

    [Fact]
    public void Malformed_headers_that_used_to_crash_are_refused_as_corrupt()
    {
        var seeds = HostileImages.Seeds();
        var bmp = (byte[])seeds[".bmp"].Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(22), 0x80000000); // height -2^31: Math.Abs overflowed
        var vp8x = HostileImages.WebPWithLeadingChunk(seeds[".webp"], "VP8X", new byte[4]); // shorter than its 10 bytes
        var png = HostileImages.PngWithChunk(seeds[".png"], "iCCP", [.. "name"u8, 0]); // NUL is the last byte
        foreach (var file in new[] { bmp, vp8x })
        {
            Assert.Equal(InvalidImageReason.Corrupt, Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(file, Limits)).Reason);
        }
        using var decoded = ImageDecoder.Decode(png, Limits); // the picture is fine; only its profile is unreadable
        Assert.True(decoded.IccProfileDropped);
    }

    [Fact]
    public void Downscale_policy_still_refuses_what_it_cannot_afford_to_decode()
    {
        // 32768² 16-bit RGB would decode to 6 GiB before any shrinking: the header check refuses it first.
        using var tiny = new Mat(2, 2, MatType.CV_16UC3, Scalar.All(1000));
        var png = HostileImages.PngClaiming(TestImage.Encode(tiny, ".png"), 32768, 32768);
        var limits = new ImageLimits { MaxMegapixels = 16, Oversize = OversizePolicy.Downscale };
        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(png, limits));
        Assert.Equal(InvalidImageReason.TooLarge, e.Reason);
    }

    [Fact]
    public async Task Output_limit_is_checked_before_any_work()
    {
        using var flat = new Mat(1000, 1000, MatType.CV_8UC3, Scalar.All(50));
        var png = TestImage.Encode(flat, ".png");
        var request = new UpscaleRequest { Scale = 4, Limits = new ImageLimits { MaxOutputMegapixels = 10 } };
        var e = await Assert.ThrowsAsync<InvalidImageException>(() => TestModels.Upscaler.UpscaleAsync(png, request));
        Assert.Equal(InvalidImageReason.TooLarge, e.Reason);
        Assert.Contains("4000x4000", e.Message);
    }

    [Fact]
    public void Header_and_decoder_agree_on_the_size_or_the_file_is_refused()
    {
        // A PNG whose IHDR was edited after encoding: CRC and data no longer match the claimed size.
        var png = (byte[])HostileImages.Seeds()[".png"].Clone();
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 41);
        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(png, Limits));
        Assert.Equal(InvalidImageReason.Corrupt, e.Reason);
    }

    [Fact]
    public void Five_thousand_mutated_files_are_decoded_within_budget_or_refused()
    {
        var outcomes = new Dictionary<string, int>();
        var unexpected = new List<string>();
        long growth = PeakMemory.GrowthDuring(() =>
        {
            foreach (var (name, data) in HostileImages.Mutations(5000, seed: 20261129))
            {
                string outcome;
                try
                {
                    using var image = ImageDecoder.Decode(data, Limits);
                    Assert.True((long)image.Width * image.Height <= 4_000_000, $"{name} decoded to {image.Width}x{image.Height}");
                    outcome = "decoded";
                }
                catch (InvalidImageException e)
                {
                    outcome = e.Reason.ToString();
                }
                catch (Exception e)
                {
                    unexpected.Add($"{name}: {e.GetType().Name}: {e.Message}");
                    outcome = "unexpected";
                }
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        });
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(20)));
        Assert.Equal(5000, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault("decoded") > 500, string.Join(", ", outcomes)); // the damage is not all fatal
        Assert.True(growth < 300L << 20, $"the fuzz run raised the peak by {growth >> 20} MB ({string.Join(", ", outcomes)})");
    }
}
