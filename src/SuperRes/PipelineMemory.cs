using SuperRes.Imaging;

namespace SuperRes;

/// <summary>
/// What one image costs the pipeline at its peak, from its header alone, before any pixel is decoded: a host
/// admits work by this figure. It counts the large buffers (decoded input, the copy kept at source depth,
/// the output image, its encoded bytes, and the float pixels tiles share while they are blended); engines' own
/// workspaces are per model and not counted here.
/// </summary>
public static class PipelineMemory
{
    /// <param name="tileSize">Tile edge in input pixels (0 = the whole image in one tile).</param>
    public static long Estimate(ImageHeader header, ImageLimits limits, int scale, int tileSize, int tileOverlap,
        long maxBandBytes = Tiling.TiledUpscaler.DefaultMaxBandBytes)
    {
        var (width, height) = limits.Admit(header);
        long kept = (long)width * height * header.BytesPerPixel;
        long outWidth = (long)width * scale, outHeight = (long)height * scale;
        long output = outWidth * outHeight * header.BytesPerPixel;
        long encoded = output; // an uncompressed format (BMP, TIFF) is as large as the pixels; PNG is rarely larger
        long band = Tiling.TiledUpscaler.BufferBytes(Tiling.TilePlanner.Plan(width, height, tileSize, tileOverlap), scale, maxBandBytes);
        return header.DecodedBytes + kept + output + encoded + band;
    }
}
