using SuperRes.Imaging;
using SuperRes.Inference;

namespace SuperRes;

/// <summary>The encoded output and how it was made.</summary>
public sealed record UpscaleResult(
    byte[] Data,
    ImageFormat Format,
    int Width,
    int Height,
    string Model,
    int Scale,
    EngineKind Engine,
    bool InputWasDownscaled,
    TimeSpan InferenceTime)
{
    /// <summary>The input's colour profile was over the size limit (or unreadable) and is not in the output.</summary>
    public bool IccProfileDropped { get; init; }
}
