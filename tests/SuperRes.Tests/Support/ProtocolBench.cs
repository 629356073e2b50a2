using System.Collections.Concurrent;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Quality;

namespace SuperRes.Tests.Support;

/// <summary>
/// Runs a benchmark set (Set5 unless told) through the whole pipeline (PNG bytes in, PNG bytes out) under
/// the SR protocol and caches the scores, so several tests can look at one expensive run.
/// </summary>
public static class ProtocolBench
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<(string Image, double Psnr, double Ssim)>>>> Runs = new();

    public static async Task<double> MeanPsnr(string? model, int scale, int tile, string dataset = "Set5") =>
        (await Run(model, scale, tile, dataset)).Average(r => r.Psnr);

    public static Task<IReadOnlyList<(string Image, double Psnr, double Ssim)>> Run(string? model, int scale, int tile, string dataset = "Set5") =>
        Runs.GetOrAdd($"{model}|{scale}|{tile}|{dataset}", _ => new(() => RunUncached(model, scale, tile, dataset))).Value;

    private static async Task<IReadOnlyList<(string, double, double)>> RunUncached(string? model, int scale, int tile, string dataset)
    {
        var results = new List<(string, double, double)>();
        foreach (var path in TestData.DatasetImages(dataset))
        {
            using var hr = TestData.Read(path);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            var png = TestImage.Encode(lr, ".png");
            var result = await TestModels.Upscaler.UpscaleAsync(png, new UpscaleRequest { Model = model, Scale = scale, TileSize = tile, Format = ImageFormat.Png });
            using var sr = TestImage.Decode(result.Data);
            var (psnr, ssim) = SrProtocol.Score(cropped, sr, scale);
            results.Add((Path.GetFileNameWithoutExtension(path), psnr, ssim));
        }
        return results;
    }
}
