using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Tests.Support;
using SuperRes.Tiling;

namespace SuperRes.Tests.Tiling;

/// <summary>Wide images are blended in column strips: the same pixels, with band memory bounded whatever the width.</summary>
[Collection(SerialCollection.Name)]
public class ColumnStripTests
{
    [Fact]
    public async Task Strips_of_one_tile_column_give_the_pixels_of_one_band()
    {
        // baby x2 LR is 256x256: 48-pixel cells make 6 tile columns; a 1-byte budget puts each in its own strip.
        var png = File.ReadAllBytes(TestData.Set5Lr("baby", 2));
        var request = new UpscaleRequest { Model = "esrgan-slim", Scale = 2, TileSize = 48, Format = ImageFormat.Png };
        using var striped = new Upscaler(new UpscalerOptions { ModelStore = TestModels.StoreRoot, MaxBandBytes = 1 });
        var one = await TestModels.Upscaler.UpscaleAsync(png, request);
        var many = await striped.UpscaleAsync(png, request);
        using var a = TestImage.Decode(one.Data);
        using var b = TestImage.Decode(many.Data);
        Assert.Equal(a.Size(), b.Size());
        // Float sums in another order may round a value the other way, never more.
        Assert.True(Pixels.MaxAbsDiff(a, b) <= 1, $"max difference {Pixels.MaxAbsDiff(a, b)}");
    }

    [Fact]
    public void Band_memory_is_bounded_whatever_the_width()
    {
        // 125000x128 at x4 in 128-pixel tiles: one band would be the whole 500000x512 float output (3 GB).
        var plan = TilePlanner.Plan(125_000, 128, 128, 16);
        long bounded = TiledUpscaler.BufferBytes(plan, 4);
        long oneBand = 500_000L * 512 * 12;
        Assert.True(bounded <= TiledUpscaler.DefaultMaxBandBytes + 512L * 4 * 2 * 16 * 12 * 4, $"{bounded >> 20} MB");
        Assert.True(bounded < oneBand / 8);
    }

    [Fact]
    public async Task A_wide_image_is_upscaled_within_its_band_budget()
    {
        using var wide = new Mat(40, 40_000, MatType.CV_8UC3, new Scalar(60, 120, 180));
        var png = TestImage.Encode(wide, ".png");
        using var upscaler = new Upscaler(new UpscalerOptions { ModelStore = TestModels.StoreRoot, MaxBandBytes = 32L << 20 });
        var request = new UpscaleRequest { Model = "esrgan-slim", Scale = 4, Format = ImageFormat.Png };
        await upscaler.UpscaleAsync(png, request); // the runtime's own first-use allocations (its arena) are not the pipeline's
        UpscaleResult? result = null;
        // A band of float as wide as the picture would be 160000 x 160 x 12 bytes = 307 MB alone (536 MB in all, measured
        // when blending kept whole tile rows; 185 MB with 32 MB strips, once 267 MB: when the call's freed buffers, the
        // 77 MB output among them, go back to the system varies from run to run). One tile row now holds no float rows,
        // only the seams between its tiles. The bound catches a return to one band.
        long growth = await PeakMemory.GrowthDuringAsync(async () => result = await upscaler.UpscaleAsync(png, request));
        Assert.Equal((160_000, 160), (result!.Width, result.Height));
        Assert.True(growth < 360L << 20, $"peak rose by {growth >> 20} MB");
    }
}
