namespace SuperRes.Imaging;

/// <summary>How to write the result.</summary>
/// <param name="Format">Output container.</param>
/// <param name="Quality">1..100 for JPEG and WebP; ignored elsewhere.</param>
public sealed record EncodeOptions(ImageFormat Format = ImageFormat.Png, int Quality = 95);
