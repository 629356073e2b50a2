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
    public sealed record ModelView(string Name, IReadOnlyList<int> Scales, bool Installed, IReadOnlyList<int> LoadedScales, bool IsDefault, string? Description,
        double? Set5PsnrX3, double? MacsPerPixelX3);

    public static void MapModels(this RouteGroupBuilder api)
    {
        api.MapGet("/models", (Upscaler upscaler) =>
        {
            var installed = upscaler.Store.List();
            var loaded = upscaler.Loaded;
            var names = ModelCatalog.Entries.Select(e => e.Name).Concat(installed.Select(m => m.Name)).Distinct(StringComparer.OrdinalIgnoreCase);
            return Results.Ok(names.Select(name =>
            {
                var entry = ModelCatalog.Find(name);
                var manifest = installed.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
                return new ModelView(name, manifest?.Files.Keys.ToList() ?? entry?.Scales ?? [], manifest is not null,
                    loaded.Where(l => string.Equals(l.Model.Name, name, StringComparison.OrdinalIgnoreCase)).Select(l => l.Model.Scale).Order().ToList(),
                    string.Equals(name, ModelCatalog.DefaultModel, StringComparison.OrdinalIgnoreCase), entry?.Description,
                    entry?.Set5PsnrX3, entry?.MacsPerPixelX3);
            }).ToList());
        }).WithName("ListModels").WithSummary("Models that can be used, with their scales.").Produces<List<ModelView>>();
    }
}
