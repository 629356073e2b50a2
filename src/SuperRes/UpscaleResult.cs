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

    /// <summary>Frames or pages of the input (animations, multi-page files): only the first was upscaled.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>The input's colours were converted from its profile to sRGB for the model.</summary>
    public bool ConvertedColour { get; init; }

    /// <summary>What the caller should know about what the result left out, in plain sentences (empty: nothing).</summary>
    public IReadOnlyList<string> Notes =>
    [
        .. IccProfileDropped ? [IccDroppedNote] : Array.Empty<string>(),
        .. Frames > 1 ? [FramesNote(Frames)] : Array.Empty<string>(),
    ];

    public const string IccDroppedNote = "The input's colour profile was over the size limit or unreadable and is not in the result.";

    public static string FramesNote(int frames) => $"The input has {frames} frames or pages; only the first was upscaled.";

    /// <summary>The restoration strength used and why; null for a model without a restoring pair.</summary>
    public Restoration.RestoreChoice? Restore { get; init; }
}
