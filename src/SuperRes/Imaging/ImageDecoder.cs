using NetVips;
using SuperRes.Imaging.Vips;

namespace SuperRes.Imaging;

/// <summary>
/// Opens PNG, JPEG, WebP, TIFF, BMP, HEIC, AVIF and GIF bytes (8 or 16 bit, grey or colour, with or without alpha)
/// through libvips as a <see cref="DecodedImage"/>: upright (EXIF orientation applied), in sRGB (an embedded
/// profile is converted with lcms, CMYK included), shrunk to the megapixel limit when the policy says so. The
/// limits are checked on the header the same loader read before a pixel is decoded; pixels are decoded as rows
/// are asked for.
/// </summary>
public static class ImageDecoder
{
    /// <param name="limits">Sizes checked from the header before any pixel is decoded; null = none but the metadata caps.</param>
    /// <param name="header">The header, when the caller has read it already (it is read once per request).</param>
    public static DecodedImage Decode(byte[] data, ImageLimits? limits = null, ImageHeader? header = null)
    {
        limits ??= ImageLimits.None;
        header ??= ImageMetadataReader.ReadHeader(data, limits);
        limits.Admit(header);
        var format = header.Format;
        // Turning a picture needs all of it; only then is it decoded whole (what it costs is the input, not the output).
        bool turn = header.Orientation != 1;
        var image = VipsInput.Load(data, format, turn ? Enums.Access.Random : Enums.Access.Sequential);
        try
        {
            if (image.Width != header.Width || image.Height != header.Height)
            {
                throw new InvalidImageException(
                    $"The {VipsInput.Name(format)} header says {header.Width}x{header.Height} but the data decodes to {image.Width}x{image.Height}.", InvalidImageReason.Corrupt);
            }
            return Prepare(image, header, limits);
        }
        catch (VipsException e)
        {
            image.Dispose();
            throw VipsInput.Corrupt(format, e);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static DecodedImage Prepare(Image image, ImageHeader header, ImageLimits limits)
    {
        bool dropped = header.IccProfileUnusable || header.IccProfileBytes > limits.MaxIccProfileBytes;
        byte[]? icc = !dropped && header.IccProfileBytes > 0 ? (byte[])image.Get("icc-profile-data") : null;
        if (icc is not null && !IsIccProfile(icc))
        {
            (icc, dropped) = (null, true); // junk where a profile should be: converting with it would fail or lie
        }
        if (header.Orientation != 1)
        {
            image = Chain(image, i => i.Autorot()); // reads the orientation field: before the metadata goes
        }
        image = Chain(image, i => i.Mutate(m =>
        {
            // Only what the pipeline uses travels on: the colour profile is handled here, the rest is not written out.
            foreach (var field in m.GetFields())
            {
                if (field is "exif-data" or "xmp-data" or "iptc-data" or "orientation" || field.StartsWith("png-comment", StringComparison.Ordinal)
                    || field == "icc-profile-data" && dropped)
                {
                    m.Remove(field);
                }
            }
        }));
        bool sixteen = image.Format is not (Enums.BandFormat.Uchar or Enums.BandFormat.Char);
        if (image.Format is Enums.BandFormat.Float or Enums.BandFormat.Double)
        {
            // Float TIFFs hold [0, 1]: 16 bits keep all the precision the outputs can hold.
            image = Chain(image, i => (i * 65535).Cast(Enums.BandFormat.Ushort));
        }
        else if (image.Format is not (Enums.BandFormat.Uchar or Enums.BandFormat.Ushort))
        {
            image = Chain(image, i => i.Cast(sixteen ? Enums.BandFormat.Ushort : Enums.BandFormat.Uchar));
        }
        bool converted = false;
        int colourBands = image.Bands - (image.HasAlpha() ? 1 : 0);
        if (image.Interpretation == Enums.Interpretation.Cmyk)
        {
            // CMYK comes out as sRGB: through its own profile, or a generic CMYK one when it has none.
            image = Chain(image, i => i.IccTransform("srgb", inputProfile: "cmyk", embedded: icc is not null, intent: Enums.Intent.Relative));
            converted = true;
            icc = null;
        }
        else if (icc is not null && colourBands >= 3)
        {
            // The models learnt sRGB: a Display P3 or Adobe RGB photo is converted before it is upscaled.
            image = Chain(image, i => i.IccTransform("srgb", embedded: true, intent: Enums.Intent.Relative, depth: sixteen ? 16 : 8));
            converted = true;
        }
        else if (colourBands >= 3 && image.Interpretation is not (Enums.Interpretation.Srgb or Enums.Interpretation.Rgb16 or Enums.Interpretation.Rgb))
        {
            image = Chain(image, i => i.Colourspace(sixteen ? Enums.Interpretation.Rgb16 : Enums.Interpretation.Srgb));
        }
        colourBands = image.Bands - (image.HasAlpha() ? 1 : 0);
        if (colourBands is not (1 or 3))
        {
            throw new InvalidImageException($"Images with {image.Bands} channels ({image.Interpretation}) are not supported.", InvalidImageReason.UnsupportedFormat);
        }
        var (width, height) = limits.MaxMegapixels > 0 && header.Megapixels > limits.MaxMegapixels
            ? ImageLimits.ShrunkSize(image.Width, image.Height, limits.MaxMegapixels)
            : (image.Width, image.Height);
        bool downscaled = (width, height) != (image.Width, image.Height);
        if (downscaled)
        {
            image = Chain(image, i => Shrink(i, width, height));
        }
        return new DecodedImage(new VipsRows(image, colourBands, image.HasAlpha()), isGrey: colourBands == 1)
        {
            SourceFormat = header.Format,
            IccProfile = icc,
            ConvertedToSrgb = converted,
            IccProfileDropped = dropped,
            WasDownscaled = downscaled,
            Frames = header.Frames,
        };
    }

    /// <summary>The shape of an ICC profile: its header's size is its length, its signature "acsp", a colour space lcms converts.</summary>
    private static bool IsIccProfile(byte[] p) =>
        p.Length >= 132 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(p) == p.Length && p.AsSpan(36, 4).SequenceEqual("acsp"u8)
        && (p.AsSpan(16, 4).SequenceEqual("RGB "u8) || p.AsSpan(16, 4).SequenceEqual("GRAY"u8) || p.AsSpan(16, 4).SequenceEqual("CMYK"u8));

    /// <summary>Shrinks to exactly width x height (libvips' own rounding may leave a pixel more or less).</summary>
    private static Image Shrink(Image image, int width, int height)
    {
        using var resized = image.Resize((double)width / image.Width, vscale: (double)height / image.Height, kernel: Enums.Kernel.Lanczos3);
        return resized.Width == width && resized.Height == height
            ? resized.Copy()
            : resized.Embed(0, 0, width, height, extend: Enums.Extend.Copy);
    }

    /// <summary>Applies one step of the pipeline and lets the previous image handle go (libvips keeps what it needs).</summary>
    private static Image Chain(Image image, Func<Image, Image> step)
    {
        var next = step(image);
        image.Dispose();
        return next;
    }
}
