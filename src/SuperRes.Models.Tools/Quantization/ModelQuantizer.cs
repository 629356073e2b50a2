using SuperRes.Models.Quantization;
using SuperRes.Models.Tools;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Quantizes what a user names: an installed or catalog model (each of its scales, the int8 copy stored beside each
/// float file, where <see cref="Precision.Auto"/> finds it) or an ONNX file (its copy beside it, or where asked).
/// </summary>
public sealed class ModelQuantizer(ModelStore store)
{
    public async Task<IReadOnlyList<QuantizationReport>> QuantizeAsync(string model, int? scale, string? output, ModelOverrides? overrides,
        QuantizationOptions options, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var resolver = new ModelResolver(store, new ModelWorkshop());
        var first = await resolver.ResolveAsync(model, scale, overrides, null, ct).ConfigureAwait(false);
        var scales = scale is null && store.Find(first.Name) is { } manifest && first.FilePath.StartsWith(store.Root, StringComparison.Ordinal)
            ? manifest.Files.Keys.ToList()
            : [first.Scale];
        if (output is not null && scales.Count > 1)
        {
            throw new ModelException($"{first.Name} has {scales.Count} scales; pass -s with one of them to write it to {output}.");
        }
        var reports = new List<QuantizationReport>();
        foreach (var s in scales)
        {
            ct.ThrowIfCancellationRequested();
            var resolved = s == first.Scale ? first : await resolver.ResolveAsync(model, s, overrides, null, ct).ConfigureAwait(false);
            if (resolved.Kind != ModelKind.Onnx)
            {
                throw new ModelException($"{Path.GetFileName(resolved.FilePath)} is a TensorFlow graph; imported, it becomes ONNX, which can be quantized.")
                {
                    Reason = ModelProblem.NoInt8Copy,
                    Model = resolved.FilePath,
                };
            }
            var stage = scales.Count > 1 && progress is not null ? new PrefixedProgress(progress, $"x{s}: ") : progress;
            reports.Add(Int8Quantizer.Quantize(resolved.FilePath, resolved.Contract, output ?? Int8Copy.PathFor(resolved.FilePath), options, stage));
        }
        return reports;
    }
}

/// <summary>Passes each message on at once (no synchronisation-context hop, so lines stay in order) with a prefix.</summary>
internal sealed class PrefixedProgress(IProgress<string> inner, string prefix) : IProgress<string>
{
    public void Report(string value) => inner.Report(prefix + value);
}
