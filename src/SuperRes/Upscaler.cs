using System.Collections.Concurrent;
using System.Diagnostics;
using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Restoration;
using SuperRes.Tiling;

namespace SuperRes;

/// <summary>
/// The one entry point: bytes in, upscaled bytes out. Resolves models (pulling the default on first use),
/// keeps one engine pool per model for its whole life, and runs the pipeline
/// decode → tiles → engine → blend → encode. Thread-safe; share one instance.
/// </summary>
public sealed class Upscaler : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedModel>>> pools = new();

    public Upscaler(UpscalerOptions? options = null)
    {
        Options = options ?? new UpscalerOptions();
        Store = new ModelStore(Options.ModelStore);
        Models = new ModelResolver(Store, Options.Workshop); // OpenCV's process-wide thread count is set by each OpenCV engine as it runs
    }

    public UpscalerOptions Options { get; }

    public ModelStore Store { get; }

    public ModelResolver Models { get; }

    /// <summary>Reports model downloads and conversions (first use of a catalog model).</summary>
    public IProgress<ModelInstallProgress>? InstallProgress { get; set; }

    public async Task<UpscaleResult> UpscaleAsync(byte[] input, UpscaleRequest request, IProgress<UpscaleProgress>? progress = null,
        CancellationToken ct = default)
    {
        // Every size is checked from the header (input, output) before a pixel is decoded.
        var header = request.Header ?? ImageMetadataReader.ReadHeader(input);
        var (width, height) = request.Limits.Admit(header);
        var model = await ResolveAsync(request.Model, request.Scale, request.Overrides, ct).ConfigureAwait(false);
        request.Limits.AdmitOutput(width, height, model.Scale);
        ImageLimits.AdmitFormat(width, height, model.Scale, request.Format ?? ImageFormats.OutputFor(header.Format));

        using var image = ImageDecoder.Decode(input, request.Limits, header);
        image.CancelWith(ct);
        var restore = ChooseRestoration(request.Restore, model, input, image);
        if (restore is not null)
        {
            model = await Models.ResolveRestorationAsync(model, restore.Strength, InstallProgress, ct,
                Options.PrecisionFor(request.Model), Options.QuantizeMixes).ConfigureAwait(false);
        }
        var loaded = await LoadAsync(model, ct).ConfigureAwait(false);
        var format = request.Format ?? ImageFormats.OutputFor(image.SourceFormat);
        var sw = Stopwatch.StartNew();
        // Back to the input's profile (keep), or sRGB as the model made it with no profile (srgb).
        bool keep = request.Colour == ColourMode.Keep;
        var profile = keep ? image.IccProfile : null;
        bool convertsBack = ImageEncoder.ConvertsBack(profile, image.ConvertedToSrgb, image.IsGrayscale ? 1 : 3);
        using var output = await UpscaleAsync(image, loaded, format, request.TileSize, progress, ct, request.Ensemble,
            encodeEarly: !convertsBack).ConfigureAwait(false);
        var inferenceTime = sw.Elapsed;
        var bytes = output.EarlyPng is { } png
            ? png.Finish(profile)
            : ImageEncoder.EncodeDiscarding(output.Image, new EncodeOptions(format, request.Quality), profile, image.ConvertedToSrgb);
        return new UpscaleResult(bytes, format, output.Image.Cols, output.Image.Rows, loaded.Model.Name, loaded.Model.Scale,
            loaded.Engine, image.WasDownscaled, inferenceTime)
        {
            IccProfileDropped = image.IccProfileDropped,
            Restore = restore,
            Frames = image.Frames,
            ConvertedColour = image.ConvertedToSrgb,
        };
    }

    /// <summary>
    /// The restoration strength for one picture: the asked one, or for auto what its JPEG tables and noise call for.
    /// Null for a model without a restoring pair when auto was asked (a fixed strength for one is an error).
    /// </summary>
    public static RestoreChoice? ChooseRestoration(Restore restore, ResolvedModel model, byte[] file, DecodedImage image)
    {
        if (ModelResolver.RestoringPair(model) is null)
        {
            // Auto, and strength 0 (the model itself), simply do not apply; any other strength is an error.
            return restore.IsAuto || restore.Strength == 0 ? null
                : throw new ModelException(RestoringPairs.Missing(model.Name, model.Scale) ?? $"{model.Name} does not restore.") { Model = model.Name };
        }
        return restore.Strength is { } fixedStrength
            ? new RestoreChoice(fixedStrength, "asked", Auto: false)
            : RestoreStrength.Choose(file, image, model.Scale);
    }

    /// <summary>Upscales decoded pixels; the caller disposes the returned composer (its <see cref="OutputComposer.Image"/> is the result).</summary>
    /// <param name="ensemble">Each tile in its 8 orientations, averaged: sharper, 8 times the work.</param>
    /// <param name="encodeEarly">PNG output starts compressing while tiles still run (see <see cref="OutputComposer.EarlyPng"/>).</param>
    public async Task<OutputComposer> UpscaleAsync(DecodedImage image, LoadedModel model, ImageFormat format, int? tileSize,
        IProgress<UpscaleProgress>? progress, CancellationToken ct, bool ensemble = false, bool encodeEarly = false)
    {
        int tile = TileSizeFor(model, tileSize);
        var plan = TilePlanner.Plan(image.Width, image.Height, tile, Options.TileOverlap);
        var shape = UsesOneShape(model) ? EngineShape.For(plan, tile, Options.TileOverlap) : null;
        if (ensemble && shape is { } s && s.Width != s.Height)
        {
            shape = new Size(Math.Max(s.Width, s.Height), Math.Max(s.Width, s.Height)); // transposed tiles keep the one shape
        }
        progress?.Report(new UpscaleProgress(0, plan.Count));
        var composer = new OutputComposer(image, model.Model.Scale, format, encodeEarly);
        try
        {
            var tiles = progress is null ? null : new Progress<int>(done => progress.Report(new UpscaleProgress(done, plan.Count)));
            await TiledUpscaler.RunAsync(image, plan, model.Pool, composer.WriteColour, tiles, ct, Options.MaxBandBytes, shape,
                ensemble ? SelfEnsemble.Around : null, composer.RowsFinal).ConfigureAwait(false);
            composer.WriteAlpha();
            return composer;
        }
        catch
        {
            composer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decides now, for each installed scale of <paramref name="model"/> at this upscaler's precision, the runtime that
    /// <see cref="EngineKind.Auto"/> will use, and keeps the answer beside the file: an install or import pays for the
    /// timing instead of the first picture.
    /// </summary>
    public async Task<IReadOnlyList<(int Scale, EngineKind Engine)>> ChooseEnginesAsync(string model, CancellationToken ct = default)
    {
        var manifest = Store.Find(model) ?? throw new ModelException($"{model} is not installed.") { Reason = ModelProblem.NotFound, Model = model };
        var chosen = new List<(int, EngineKind)>();
        foreach (var scale in manifest.Files.Keys)
        {
            var resolved = await ResolveAsync(manifest.Name, scale, null, ct).ConfigureAwait(false);
            chosen.Add((scale, EngineFactory.Resolve(resolved, Options.Engine, Options.ThreadsPerEngine)));
        }
        return chosen;
    }

    /// <summary>Resolves and loads a model once; later calls reuse its engine pool.</summary>
    public async Task<LoadedModel> LoadAsync(string? model, int? scale, ModelOverrides? overrides = null, CancellationToken ct = default) =>
        await LoadAsync(await ResolveAsync(model, scale, overrides, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>Which file a model name (or path) and scale mean, at this upscaler's precision, without loading it.</summary>
    public Task<ResolvedModel> ResolveAsync(string? model, int? scale, ModelOverrides? overrides = null, CancellationToken ct = default) =>
        Models.ResolveAsync(model, scale, overrides, InstallProgress, ct, Options.PrecisionFor(model));

    /// <summary>Loads a resolved model once; later calls reuse its engine pool.</summary>
    public async Task<LoadedModel> LoadAsync(ResolvedModel resolved, CancellationToken ct = default)
    {
        var lazy = pools.GetOrAdd(resolved.Key, _ => new Lazy<Task<LoadedModel>>(() => Task.Run(() => Load(resolved))));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            pools.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedModel>>>(resolved.Key, lazy)); // let a later call retry
            throw;
        }
    }

    /// <summary>
    /// Runs one tile at the shape real work will use (the tile shape, for engines that keep one), so the runtime's
    /// one-off initialisation (a second or more for large models on OpenCV DNN) is paid now, not by the first image.
    /// </summary>
    public async Task WarmUpAsync(LoadedModel model, CancellationToken ct = default)
    {
        int tileSize = TileSizeFor(model);
        int side = UsesOneShape(model) && tileSize > 0 ? EngineShape.TileSide(tileSize, Options.TileOverlap) : 16;
        using var tile = new Mat(side, side, MatType.CV_32FC3, Scalar.All(0.5));
        await model.Pool.RunAsync(engine => { engine.Run(tile, ct).Dispose(); return 0; }, ct).ConfigureAwait(false);
    }

    /// <summary>The tile edge a run uses: the request's, else these options', else the engine's default.</summary>
    private int TileSizeFor(LoadedModel model, int? asked = null) =>
        asked ?? Options.TileSize ?? UpscalerOptions.DefaultTileSize(UsesOneShape(model));

    private bool UsesOneShape(LoadedModel model) => Options.FixedEngineShape switch
    {
        EngineShapePolicy.Always => model.Pool.ReplansPerShape,
        EngineShapePolicy.Auto => model.Pool.PrefersFixedShape,
        _ => false,
    };

    /// <summary>Models loaded so far.</summary>
    public IReadOnlyList<LoadedModel> Loaded =>
        pools.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result).ToList();

    private LoadedModel Load(ResolvedModel model)
    {
        var sw = Stopwatch.StartNew();
        int threads = Options.ThreadsPerEngine;
        EnginePool? pool = null;
        try
        {
            var (kind, measured) = EngineFactory.Choose(model, Options.Engine, threads);
            pool = new EnginePool(() => EngineFactory.Create(model, kind, threads), Options.EffectivePoolSize, model.Scale, measured);
            pool.Warm();
            return new LoadedModel(model, kind, pool, sw.Elapsed);
        }
        catch (ModelException e) when (e.Reason == ModelProblem.Invalid && ModelCatalog.Find(model.Name) is not null
                                       && model.FilePath.StartsWith(Store.Root, StringComparison.Ordinal))
        {
            // A catalog model's installed file that cannot be read is the installation's fault, not the request's.
            pool?.Dispose();
            throw new ModelException($"The installed {model.Name} x{model.Scale} model file is damaged.", e) { Reason = ModelProblem.Damaged, Model = model.Name };
        }
        catch
        {
            pool?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in pools.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Pool.Dispose();
            }
        }
        pools.Clear();
    }
}
