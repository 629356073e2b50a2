using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Quality;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Restoration;

/// <summary>Restoration through the façade: what auto reads from a file, and which weights then run.</summary>
public class UpscalerRestoreTests
{
    private static Upscaler Upscaler => TestModels.Upscaler;

    private static byte[] Jpeg(int quality)
    {
        using var lr = TestData.Read(TestData.Set5Lr("butterfly", 3));
        return Degradation.Jpeg(lr, quality);
    }

    [Fact]
    public async Task Auto_reads_the_jpeg_quality_and_runs_the_mix_of_that_strength()
    {
        var file = Jpeg(50);
        var auto = await Upscaler.UpscaleAsync(file, new UpscaleRequest { Scale = 3, Format = ImageFormat.Png });
        var expected = RestoreStrength.Choose(new JpegQuality(50, true), 0, 3);
        Assert.NotNull(auto.Restore);
        Assert.True(auto.Restore.Auto);
        Assert.StartsWith("JPEG quality 50", auto.Restore.Basis);
        Assert.True(auto.Restore.Strength >= expected.Strength);
        // The same strength asked for by hand runs the same weights: the same bytes.
        var asked = await Upscaler.UpscaleAsync(file, new UpscaleRequest { Scale = 3, Format = ImageFormat.Png, Restore = Restore.Fixed(auto.Restore.Strength) });
        Assert.Equal(auto.Data, asked.Data);
        Assert.Equal(new RestoreChoice(auto.Restore.Strength, "asked", false), asked.Restore);
    }

    [Fact]
    public async Task The_ends_of_the_strength_are_the_two_models_themselves()
    {
        var file = Jpeg(60);
        async Task<byte[]> Run(string? model, Restore restore) =>
            (await Upscaler.UpscaleAsync(file, new UpscaleRequest { Model = model, Scale = 3, Format = ImageFormat.Png, Restore = restore })).Data;
        Assert.Equal(await Run("superres-photo", Restore.Auto), await Run(null, Restore.Fixed(1)));
        var plain = await Upscaler.UpscaleAsync(file, new UpscaleRequest { Scale = 3, Format = ImageFormat.Png, Restore = Restore.Fixed(0) });
        Assert.Equal("superres-edsr", plain.Model);
        Assert.NotEqual(await Run(null, Restore.Fixed(1)), plain.Data);
        // superres-photo is a model of its own (its restoring is fixed): auto does not apply to it.
        var photo = await Upscaler.UpscaleAsync(file, new UpscaleRequest { Model = "superres-photo", Scale = 3 });
        Assert.Null(photo.Restore);
    }

    [Fact]
    public async Task A_mix_is_written_once_into_the_models_folder_and_reused()
    {
        var file = Jpeg(70);
        var request = new UpscaleRequest { Scale = 3, Restore = Restore.Fixed(0.3) };
        await Upscaler.UpscaleAsync(file, request);
        var folder = Path.Combine(Upscaler.Store.FolderOf("superres-edsr"), RestorationFiles.Folder);
        var mix = Directory.GetFiles(folder, "x3.restore-0.3.*.onnx").Single();
        var written = File.GetLastWriteTimeUtc(mix);
        await Upscaler.UpscaleAsync(file, request with { Restore = Restore.Fixed(0.31) }); // rounds to the same tenth
        Assert.Equal(written, File.GetLastWriteTimeUtc(mix));
        Assert.Single(Directory.GetFiles(folder, "x3.restore-0.3.*.onnx"));
    }

    [Fact]
    public async Task A_fixed_strength_for_a_model_without_a_restoring_pair_is_refused()
    {
        var e = await Assert.ThrowsAsync<ModelException>(() =>
            Upscaler.UpscaleAsync(Jpeg(60), new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Restore = Restore.Fixed(0.5) }));
        Assert.Equal("restore applies to models with a restoring pair (superres-edsr x2/x3/x4), not to esrgan-slim x2; leave it at auto (or 0) here.", e.Message);
        // Auto is simply not applied there.
        var result = await Upscaler.UpscaleAsync(Jpeg(60), new UpscaleRequest { Model = "esrgan-slim", Scale = 2 });
        Assert.Null(result.Restore);
    }
}
