namespace SuperRes.Models;

/// <summary>
/// What a host adds to model handling beyond running: fetching and converting the catalog models that do not ship
/// with SuperRes, and making int8 copies of the models it writes at run time. The SuperRes.Models.Tools package
/// implements it (<c>ModelWorkshop</c>); without one, the bundled models, their shipped int8 copies, restoration and
/// model files still run.
/// </summary>
public interface IModelWorkshop
{
    /// <summary>Fetches a catalog model that does not ship with SuperRes, converts each scale into
    /// <paramref name="store"/> and registers it.</summary>
    Task<ModelManifest> PullAsync(CatalogEntry entry, ModelStore store, IProgress<ModelInstallProgress>? progress, CancellationToken ct);

    /// <summary>Starts the checked int8 copy of a model written at run time (a restoration mix), off the caller's path,
    /// unless it exists or was started already.</summary>
    /// <returns>The work, for callers that wait for it; null when there is nothing to do.</returns>
    Task? QuantizeInBackground(string floatPath, ModelContract contract);
}
