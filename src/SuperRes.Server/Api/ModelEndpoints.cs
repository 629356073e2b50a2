using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SuperRes.Models;

namespace SuperRes.Server.Api;

/// <summary>GET /api/v1/models: what can be asked for, what is installed and what is loaded.</summary>
public static class ModelEndpoints
{
    /// <param name="Set5PsnrX3">Measured quality at x3 (mean PSNR on Y over Set5), for catalog models.</param>
    /// <param name="MacsPerPixelX3">Cost at x3 (multiply-adds per input pixel), for catalog models.</param>
    /// <param name="Loaded">Each loaded scale with the engine and arithmetic it runs on, and how often its engines have initialised for an input shape.</param>
    /// <param name="Restores">The model has a restoring pair, so requests may ask for a restoration strength (<c>restore</c>).</param>
    /// <param name="Int8Scales">Installed scales that run in int8 under this server's precision setting on this CPU (the rest run in fp32).</param>
    public sealed record ModelView(string Name, IReadOnlyList<int> Scales, bool Installed, IReadOnlyList<int> LoadedScales, bool IsDefault, string? Description,
        double? Set5PsnrX3, double? MacsPerPixelX3, IReadOnlyList<LoadedView> Loaded, bool Restores, IReadOnlyList<int> Int8Scales);

    /// <param name="Restore">The restoration strength this loaded file mixes (null: the model's own weights).</param>
    public sealed record LoadedView(int Scale, string Engine, string Precision, long Initializations, double? Restore);

    /// <summary>Response header naming the CPU's vector instructions (AVX2, AVX-512, VNNI, BF16), which set the speed.</summary>
    public const string CpuHeader = "X-SuperRes-Cpu";

    public static void MapModels(this RouteGroupBuilder api)
    {
        api.MapGet("/models", (Upscaler upscaler, HttpContext context) =>
        {
            context.Response.Headers[CpuHeader] = SuperRes.Inference.CpuFeatures.Summary;
            var installed = upscaler.Store.List();
            var loaded = upscaler.Loaded;
            var names = ModelCatalog.Entries.Select(e => e.Name).Concat(installed.Select(m => m.Name)).Distinct(StringComparer.OrdinalIgnoreCase);
            return TypedResults.Ok(names.Select(name =>
            {
                var entry = ModelCatalog.Find(name);
                var manifest = installed.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
                return new ModelView(name, manifest?.Files.Keys.ToList() ?? entry?.Scales ?? [], manifest is not null,
                    loaded.Where(l => string.Equals(l.Model.Name, name, StringComparison.OrdinalIgnoreCase)).Select(l => l.Model.Scale).Distinct().Order().ToList(),
                    string.Equals(name, ModelCatalog.DefaultModel, StringComparison.OrdinalIgnoreCase), entry?.Description,
                    entry?.Set5PsnrX3, entry?.MacsPerPixelX3,
                    loaded.Where(l => string.Equals(l.Model.Name, name, StringComparison.OrdinalIgnoreCase)).OrderBy(l => l.Model.Scale).ThenBy(l => l.Model.Restore)
                        .Select(l => new LoadedView(l.Model.Scale, l.Engine.ToString(), l.Model.Precision.ToString().ToLowerInvariant(), l.Pool.Initializations, l.Model.Restore)).ToList(),
                    entry?.RestoredBy is not null,
                    manifest is null || manifest.Kind != ModelKind.Onnx ? [] : manifest.Files
                        .Where(f => ModelResolver.ExpectedPrecision(Path.Combine(upscaler.Store.FolderOf(name), f.Value), upscaler.Options.PrecisionFor(name))
                                    == SuperRes.Models.Quantization.Precision.Int8)
                        .Select(f => f.Key).ToList());
            }).ToList());
        }).WithName("ListModels").WithSummary("Models that can be used, with their scales.").Produces<List<ModelView>>();
    }
}
