namespace SuperRes.Imaging;

/// <summary>The input is not an image SuperRes can read, or breaks a limit. The message is one plain sentence.</summary>
public sealed class InvalidImageException(string message, InvalidImageReason reason = InvalidImageReason.Corrupt, Exception? inner = null)
    : Exception(message, inner)
{
    public InvalidImageReason Reason { get; } = reason;
}

public enum InvalidImageReason
{
    Empty,
    UnsupportedFormat,
    Corrupt,
    TooLarge,
}
