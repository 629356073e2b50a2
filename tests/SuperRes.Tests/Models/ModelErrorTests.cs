using SuperRes.Models;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Models;

/// <summary>Every model problem a user can cause ends in one sentence that names the fix.</summary>
public class ModelErrorTests
{
    private static byte[] Bird => File.ReadAllBytes(TestData.Set5Lr("bird", 4));

    [Fact]
    public async Task Unsupported_scale_names_the_scales_there_are()
    {
        var e = await Assert.ThrowsAsync<ModelException>(() => TestModels.Upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = "esrgan-thick", Scale = 5 }));
        Assert.Equal("esrgan-thick has no x5 model; it offers x2, x3, x4, x8.", e.Message);
        Assert.Equal(ModelProblem.UnsupportedScale, e.Reason);
    }

    [Fact]
    public async Task Unknown_model_name_is_not_found()
    {
        var e = await Assert.ThrowsAsync<ModelException>(() => TestModels.Upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = "no-such-model" }));
        Assert.Equal((ModelProblem.NotFound, "no-such-model"), (e.Reason, e.Model));
    }

    [Fact]
    public async Task Corrupt_onnx_file_is_refused_clearly()
    {
        using var temp = new TempFolder();
        var path = temp.File("broken_x2.onnx");
        await File.WriteAllBytesAsync(path, "this is not a protobuf"u8.ToArray());
        var e = await Assert.ThrowsAsync<ModelException>(() => TestModels.Upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = path }));
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public async Task Truncated_onnx_file_in_the_store_is_refused_clearly()
    {
        using var temp = new TempFolder();
        var real = await TestModels.OnnxFile("esrgan-slim", 2);
        var bytes = await File.ReadAllBytesAsync(real);
        var path = temp.File("truncated.onnx");
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length * 2 / 3).ToArray());
        var e = await Assert.ThrowsAsync<ModelException>(() => TestModels.Upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = path }));
        Assert.Contains("pull or import it again", e.Message);
    }

    [Fact]
    public async Task Corrupt_pb_file_is_refused_clearly()
    {
        using var temp = new TempFolder();
        var path = temp.File("FSRCNN_x3.pb");
        var bytes = await File.ReadAllBytesAsync(TestData.Zoo("FSRCNN_x3.pb"));
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = await Assert.ThrowsAsync<ModelException>(() => TestModels.Upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = path }));
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public async Task Missing_model_file_is_refused_clearly()
    {
        var e = await Assert.ThrowsAsync<ModelException>(() => TestModels.Upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = "/nonexistent/EDSR_x3.pb" }));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public async Task Damaged_installed_model_is_the_installations_fault_and_named()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        // Install esrgan-slim by copying the test store's files, then damage its x2 file.
        var source = TestModels.Store.FolderOf("esrgan-slim");
        await TestModels.OnnxFile("esrgan-slim", 2);
        Directory.CreateDirectory(store.FolderOf("esrgan-slim"));
        foreach (var f in Directory.GetFiles(source).Where(f => !f.EndsWith(".engine", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(store.FolderOf("esrgan-slim"), Path.GetFileName(f)));
        }
        var x2 = Path.Combine(store.FolderOf("esrgan-slim"), "x2.onnx");
        var bytes = await File.ReadAllBytesAsync(x2);
        await File.WriteAllBytesAsync(x2, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        using var upscaler = new Upscaler(new UpscalerOptions { ModelStore = temp.Path, Engine = SuperRes.Inference.EngineKind.OnnxRuntime });
        var e = await Assert.ThrowsAsync<ModelException>(() => upscaler.UpscaleAsync(Bird, new UpscaleRequest { Model = "esrgan-slim", Scale = 2 }));
        Assert.Equal("The installed esrgan-slim x2 model file is damaged.", e.Message);
        Assert.Equal((ModelProblem.Damaged, "esrgan-slim"), (e.Reason, e.Model));
    }
}
