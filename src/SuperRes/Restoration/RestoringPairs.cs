using SuperRes.Models;

namespace SuperRes.Restoration;

/// <summary>Which catalog models restore (have a restoring pair, <see cref="CatalogEntry.RestoredBy"/>), and at which scales.</summary>
public static class RestoringPairs
{
    /// <summary>The scales at which <paramref name="model"/> and its pair both exist; empty for a model without one.</summary>
    public static IReadOnlyList<int> Scales(string model) =>
        ModelCatalog.Find(model) is { RestoredBy: { } partner } entry && ModelCatalog.Find(partner) is { } pair
            ? [.. entry.Scales.Intersect(pair.Scales)]
            : [];

    /// <summary>Null when <paramref name="model"/> restores at <paramref name="scale"/> (null: its default scale), else
    /// why a fixed strength does not apply, in a sentence that starts with "restore".</summary>
    public static string? Missing(string model, int? scale)
    {
        var scales = Scales(model);
        int at = scale ?? (ModelCatalog.Find(model) is { } entry && entry.Scales.Contains(3) ? 3 : 0);
        return scales.Contains(at) ? null
            : $"restore applies to models with a restoring pair ({Available()}), not to {model}{(scale is null ? "" : $" x{scale}")}; leave it at auto (or 0) here.";
    }

    /// <summary>"superres-edsr x2/x3/x4", for every catalog model that restores.</summary>
    public static string Available() => string.Join(", ", ModelCatalog.Entries
        .Where(e => Scales(e.Name).Count > 0)
        .Select(e => $"{e.Name} x{string.Join("/x", Scales(e.Name))}"));
}
