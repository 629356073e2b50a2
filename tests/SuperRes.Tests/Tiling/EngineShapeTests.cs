using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Tiling;

/// <summary>
/// Engines that re-initialise per input shape (OpenCV DNN) get every tile at one shape: one initialisation per
/// model whatever the image sizes, and the same pixels as unpadded tiles away from the image's border.
/// </summary>
public class EngineShapeTests
{
    private static Upscaler OpenCv(bool fixedShape, int tile) => new(new UpscalerOptions
    {
        ModelStore = TestModels.StoreRoot,
        Engine = EngineKind.OpenCvDnn,
        TileSize = tile,
        FixedEngineShape = fixedShape ? EngineShapePolicy.Always : EngineShapePolicy.Never,
    });

    private static readonly string[] Images = ["baby", "bird", "butterfly", "woman"]; // 256², 144², 128², 114x172 at x2

    [Fact]
    public async Task Images_of_different_sizes_initialise_the_engine_once()
    {
        using var upscaler = OpenCv(fixedShape: true, tile: 48);
        var model = await upscaler.LoadAsync(null, 2);
        Assert.True(model.Pool.ReplansPerShape);
        // Left to itself (Auto), a model this small is not padded: re-planning it costs less than the padding would.
        Assert.False(model.Pool.PrefersFixedShape);
        foreach (var name in Images)
        {
            await upscaler.UpscaleAsync(File.ReadAllBytes(TestData.Set5Lr(name, 2)), new UpscaleRequest { Scale = 2 });
        }
        Assert.Equal(1, model.Pool.Initializations);

        // Unpadded, the same images reach the engine in many shapes (edge tiles, image sizes): what the padding saves.
        using var loose = OpenCv(fixedShape: false, tile: 48);
        var looseModel = await loose.LoadAsync(null, 2);
        foreach (var name in Images)
        {
            await loose.UpscaleAsync(File.ReadAllBytes(TestData.Set5Lr(name, 2)), new UpscaleRequest { Scale = 2 });
        }
        Assert.True(looseModel.Pool.Initializations > 4, $"{looseModel.Pool.Initializations} initialisations unpadded");
    }

    [Fact]
    public async Task Padded_tiles_give_the_unpadded_pixels_away_from_the_image_border()
    {
        using var padded = OpenCv(fixedShape: true, tile: 48);
        using var plain = OpenCv(fixedShape: false, tile: 48);
        foreach (var name in Images)
        {
            var png = File.ReadAllBytes(TestData.Set5Lr(name, 2));
            var request = new UpscaleRequest { Scale = 2, Format = ImageFormat.Png };
            using var a = TestImage.Decode((await padded.UpscaleAsync(png, request)).Data);
            using var b = TestImage.Decode((await plain.UpscaleAsync(png, request)).Data);
            // The padding only changes what the model sees beyond the image's right and bottom edges.
            int margin = 16 * 2;
            var inner = new Rect(margin, margin, a.Cols - 2 * margin, a.Rows - 2 * margin);
            using var innerA = new Mat(a, inner);
            using var innerB = new Mat(b, inner);
            Assert.True(Pixels.MaxAbsDiff(innerA, innerB) <= 1, $"{name}: {Pixels.MaxAbsDiff(innerA, innerB)} grey levels apart inside");
            Assert.True(Pixels.Psnr(a, b) > 40, $"{name}: {Pixels.Psnr(a, b):0.0} dB over the whole image");
        }
    }

    [Fact]
    public async Task A_warmed_model_has_paid_its_one_initialisation_before_the_first_image()
    {
        using var upscaler = OpenCv(fixedShape: true, tile: 48);
        var model = await upscaler.LoadAsync(null, 2);
        await upscaler.WarmUpAsync(model);
        Assert.Equal(1, model.Pool.Initializations);
        await upscaler.UpscaleAsync(File.ReadAllBytes(TestData.Set5Lr("baby", 2)), new UpscaleRequest { Scale = 2 });
        Assert.Equal(1, model.Pool.Initializations);
    }

    [Theory]
    [InlineData(1.0, 0.0005, true)]     // a trained model's [0, 1] output: a thousandth
    [InlineData(1.0, 0.002, false)]
    [InlineData(300.0, 0.2, true)]      // a random-weight EDSR's large outputs: a thousandth of their range
    [InlineData(300.0, 0.5, false)]
    public void Engines_agree_relative_to_the_output_range(double magnitude, double difference, bool agree)
    {
        using var a = new Mat(8, 8, MatType.CV_32FC3);
        Cv2.Randu(a, Scalar.All(0), Scalar.All(magnitude));
        using var b = a + Scalar.All(difference);
        using var bm = b.ToMat();
        Assert.Equal(agree, EngineFactory.Agree(a, bm));
    }
}
