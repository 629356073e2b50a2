using SuperRes.Models;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools;

namespace SuperRes.Tests.Support;

/// <summary>
/// One model store and one upscaler for the whole test run. The store lives under artifacts/test-models
/// (or SUPERRES_TEST_MODELS) so the default model is fetched from npm once, not once per test.
/// </summary>
public static class TestModels
{
    // In fp32: the protocol figures the tests hold are the float models' (the shipped int8 copies have their own test),
    // and a run must not depend on whether this CPU has VNNI.
    private static readonly Lazy<Upscaler> Shared = new(() =>
        new Upscaler(new UpscalerOptions { ModelStore = StoreRoot, Precision = Precision.Fp32, Workshop = new ModelWorkshop() }));

    public static string StoreRoot => TestPaths.ModelStore;

    public static Upscaler Upscaler => Shared.Value;

    public static ModelStore Store => Upscaler.Store;

    /// <summary>Path of an installed catalog model's ONNX file for a scale (pulling it on first use).</summary>
    public static async Task<string> OnnxFile(string name, int scale)
    {
        var resolved = await Upscaler.Models.ResolveAsync(name, scale);
        return resolved.FilePath;
    }
}
