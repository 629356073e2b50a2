using System.Net;
using OpenCvSharp;
using SuperRes.Models;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools.Quantization;

namespace SuperRes.Server.Tests;

/// <summary>A precision chosen per model (SuperRes:ModelPrecision:NAME) is what the service runs and reports.</summary>
public class PrecisionTests
{
    [Fact]
    public async Task A_model_set_to_int8_runs_its_checked_copy_and_says_so()
    {
        using var store = new TempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(store.Path, "superres-edsr")).FullName;
        // Installed on first use like any model; this test may be the first to use it.
        var installed = await new ModelResolver(new ModelStore(TestPaths.ModelStore)).ResolveAsync("superres-edsr", 3);
        var source = Path.GetDirectoryName(installed.FilePath)!;
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith(".engine", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var x3 = Path.Combine(folder, "x3.onnx");
        var report = Int8Quantizer.Quantize(x3, new ModelContract(3), Int8Copy.PathFor(x3));
        Assert.True(report.Written, string.Join("; ", report.Lines()));

        await using var server = await ServerInstance.StartAsync($"ModelStore={store.Path}", "Preload:0=superres-edsr:3",
            "Precision=Fp32", "ModelPrecision:superres-edsr=Int8");

        // Restoration off: a mixed strength is its own (float) file; the int8 copy is superres-edsr's own weights.
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(File.ReadAllBytes(TestPaths.Set5Lr("bird", 3))), "image", "bird.png" },
            { new StringContent("0"), "restore" },
        };
        using var response = await server.Client.PostAsync("/api/v1/upscale?scale=3", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var image = TestImage.DecodeColour(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(new Size(288, 288), image.Size());

        var models = await (await server.Client.GetAsync("/api/v1/models")).Json();
        var ours = models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "superres-edsr");
        var loaded = ours.GetProperty("loaded").EnumerateArray().Single(l => l.GetProperty("scale").GetInt32() == 3);
        Assert.Equal("int8", loaded.GetProperty("precision").GetString());
        Assert.Equal("OnnxRuntime", loaded.GetProperty("engine").GetString());
    }
}
