using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Inference;

public class SelfEnsembleTests
{
    [Fact]
    public void Every_orientation_turns_back_to_the_original()
    {
        using var m = new Mat(5, 7, MatType.CV_32FC3);
        Cv2.Randu(m, Scalar.All(0), Scalar.All(1));
        for (int i = 0; i < SelfEnsemble.Orientations; i++)
        {
            using var turned = SelfEnsemble.Orient(m, i);
            using var back = SelfEnsemble.Unorient(turned, i);
            Assert.Equal(0, Cv2.Norm(m, back, NormTypes.INF));
        }
    }

    [Fact]
    public async Task Ensemble_output_is_the_mean_of_the_eight_turned_runs()
    {
        // 16-bit in and out, so the comparison is not lost in 8-bit rounding; one tile, so no seams either.
        using var upscaler = new Upscaler(new UpscalerOptions { ModelStore = TestModels.StoreRoot, Engine = EngineKind.OnnxRuntime, TileSize = 0 });
        using var bird8 = TestImage.ReadColour(TestData.Set5Lr("bird", 4));
        using var bird = new Mat();
        bird8.ConvertTo(bird, MatType.CV_16UC3, 257);
        var request = new UpscaleRequest { Scale = 2, Format = ImageFormat.Png };

        using var sum = new Mat(bird.Rows * 2, bird.Cols * 2, MatType.CV_64FC3, Scalar.All(0));
        using var clamped = new Mat(sum.Size(), MatType.CV_8UC3, Scalar.All(0)); // where a run was cut at black or white
        for (int i = 0; i < SelfEnsemble.Orientations; i++)
        {
            using var turned = SelfEnsemble.Orient(bird, i);
            var png = TestImage.Encode(turned, ".png");
            using var output = TestImage.Decode((await upscaler.UpscaleAsync(png, request)).Data);
            using var back = SelfEnsemble.Unorient(output, i);
            using var wide = new Mat();
            back.ConvertTo(wide, MatType.CV_64FC3);
            Cv2.Add(sum, wide, sum);
            using var low = new Mat();
            using var high = new Mat();
            Cv2.Compare(back, Scalar.All(0), low, CmpTypes.EQ); // per channel
            Cv2.Compare(back, Scalar.All(65535), high, CmpTypes.EQ);
            Cv2.BitwiseOr(clamped, low, clamped);
            Cv2.BitwiseOr(clamped, high, clamped);
        }
        using var mean = new Mat();
        sum.ConvertTo(mean, MatType.CV_16UC3, 1.0 / SelfEnsemble.Orientations);

        var input = TestImage.Encode(bird, ".png");
        using var ensemble = TestImage.Decode((await upscaler.UpscaleAsync(input, request with { Ensemble = true })).Data);
        using var plain = TestImage.Decode((await upscaler.UpscaleAsync(input, request)).Data);
        // Each turned run was rounded to 16 bits before averaging: a level or two of 65535 apart at most. Where a
        // run overshot black or white, its file was clipped there while the ensemble averages first: left out.
        using var diff = new Mat();
        Cv2.Absdiff(ensemble, mean, diff);
        diff.SetTo(Scalar.All(0), clamped);
        Cv2.MinMaxLoc(diff.Reshape(1), out _, out double worst, out _, out Point at);
        Assert.True(worst <= 2, $"{worst} levels from the mean of the runs at {at.X / 3},{at.Y} (of {diff.Cols}x{diff.Rows}): ensemble {ensemble.At<Vec3w>(at.Y, at.X / 3)}, mean {mean.At<Vec3w>(at.Y, at.X / 3)}, plain {plain.At<Vec3w>(at.Y, at.X / 3)}");
        Assert.True(Cv2.CountNonZero(clamped.Reshape(1)) < clamped.Total() * 3 / 20, "most pixels were compared");
        Assert.True(Cv2.Norm(ensemble, plain, NormTypes.INF) > 257, "the ensemble changes the picture");
    }
}
