namespace SuperRes.Imaging;

/// <summary>What to do with an input above the megapixel limit.</summary>
public enum OversizePolicy
{
    /// <summary>Shrink it to the limit first, then upscale.</summary>
    Downscale,

    /// <summary>Refuse it with <see cref="InvalidImageReason.TooLarge"/>.</summary>
    Reject,
}
