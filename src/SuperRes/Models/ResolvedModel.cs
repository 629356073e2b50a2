namespace SuperRes.Models;

/// <summary>A model file ready to load: which runtime, which file, which scale, and how to feed it.</summary>
public sealed record ResolvedModel(string Name, ModelKind Kind, string FilePath, int Scale, ModelContract Contract, string? Algorithm)
{
    /// <summary>Int8 when <see cref="FilePath"/> is a checked int8 copy (run on ONNX Runtime's int8 kernels).</summary>
    public Quantization.Precision Precision { get; init; } = Quantization.Precision.Fp32;

    /// <summary>The restoration strength this file restores at (see <see cref="ModelResolver.ResolveRestorationAsync"/>);
    /// null for a model resolved without one.</summary>
    public double? Restore { get; init; }

    /// <summary>Identifies the loaded engine pool for this model file.</summary>
    public string Key => $"{Kind}|{FilePath}|{Scale}|{Contract.Channels}|{Contract.Range}";
}
