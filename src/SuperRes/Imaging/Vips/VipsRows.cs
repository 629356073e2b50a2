using System.Runtime.InteropServices;
using NetVips;
using OpenCvSharp;

namespace SuperRes.Imaging.Vips;

/// <summary>
/// Pulls the rows of a prepared libvips pipeline top to bottom (its loader runs in sequential mode: it never holds
/// the whole picture) and hands them over as OpenCV rows: colour as BGR at the source depth (grey spread to three
/// channels) and alpha apart. A cancellation kills the running pipeline, so even a long native decode call ends.
/// </summary>
internal sealed partial class VipsRows : IDisposable
{
    private readonly Image image;
    private readonly int colourBands;
    private readonly bool hasAlpha;
    private readonly MatType depth;
    private CancellationTokenRegistration kill;

    public VipsRows(Image image, int colourBands, bool hasAlpha)
    {
        this.image = image;
        this.colourBands = colourBands;
        this.hasAlpha = hasAlpha;
        depth = image.Format == Enums.BandFormat.Ushort ? MatType.CV_16U : MatType.CV_8U;
    }

    public int Width => image.Width;

    public int Height => image.Height;

    public int BitDepth => depth == MatType.CV_16U ? 16 : 8;

    public bool HasAlpha => hasAlpha;

    /// <summary>Rows read so far: the next <see cref="Read"/> starts here.</summary>
    public int Next { get; private set; }

    /// <summary>Kills the pipeline when <paramref name="ct"/> fires (at most one token at a time).</summary>
    public void CancelWith(CancellationToken ct)
    {
        kill.Dispose();
        kill = ct.Register(() => image.SetKill(true));
    }

    /// <summary>Decodes the next <c>colour.Rows</c> rows into <paramref name="colour"/> (CV_8UC3 or CV_16UC3, BGR) and
    /// <paramref name="alpha"/> (one channel; null when there is none), a strip at a time: each strip is fetched and
    /// converted while it is in the cache, and nothing the size of the picture is allocated but the caller's rows.</summary>
    public void ReadInto(Mat colour, Mat? alpha)
    {
        int total = colour.Rows;
        if (total > Height - Next)
        {
            throw new ArgumentOutOfRangeException(nameof(colour), $"{total} rows asked for, {Height - Next} left.");
        }
        // A libvips region belongs to the thread that made it, and tiles read from pool threads: one per call.
        using var region = Region.New(image);
        for (int done = 0; done < total; done += StripRows)
        {
            int count = Math.Min(StripRows, total - done);
            using var colourStrip = colour.RowRange(done, done + count);
            using var alphaStrip = alpha?.RowRange(done, done + count);
            ReadStrip(region, colourStrip, alphaStrip);
        }
    }

    /// <summary>Rows fetched and converted at a time: a 4000-pixel-wide strip of 32 rows is 384 kB, well within the cache.</summary>
    private const int StripRows = 32;

    private void ReadStrip(Region region, Mat colour, Mat? alpha)
    {
        int count = colour.Rows;
        IntPtr pixels;
        try
        {
            // The strip's pixels are fetched in order (the loader is sequential) into one native buffer that the
            // conversion below reads: NetVips' own Fetch would copy them once more, into managed memory.
            pixels = RegionFetch(region.DangerousGetHandle(), 0, Next, Width, count, out _);
            GC.KeepAlive(region);
            if (pixels == IntPtr.Zero)
            {
                throw new VipsException("unable to fetch region");
            }
        }
        catch (VipsException e)
        {
            if (image.IsKilled())
            {
                throw new OperationCanceledException("Decoding was cancelled.", e);
            }
            throw new InvalidImageException("The image could not be decoded; it is corrupt or truncated.", InvalidImageReason.Corrupt, e);
        }
        Next += count;
        int bands = colourBands + (hasAlpha ? 1 : 0);
        try
        {
            using var raw = Mat.FromPixelData(count, Width, MatType.MakeType(depth.Depth, bands), pixels);
            switch (bands)
            {
                case 1:
                    Cv2.CvtColor(raw, colour, ColorConversionCodes.GRAY2BGR);
                    break;
                case 2:
                    Cv2.MixChannels([raw], [colour], [0, 0, 0, 1, 0, 2]); // grey into B, G and R
                    break;
                case 3:
                    Cv2.CvtColor(raw, colour, ColorConversionCodes.RGB2BGR);
                    break;
                default:
                    Cv2.CvtColor(raw, colour, ColorConversionCodes.RGBA2BGR);
                    break;
            }
            if (alpha is not null)
            {
                Cv2.MixChannels([raw], [alpha], [bands - 1, 0]);
            }
        }
        finally
        {
            NetVips.NetVips.Free(pixels);
        }
    }

    /// <summary>libvips' vips_region_fetch: a copy of the area in a new buffer, freed with g_free; null on error.</summary>
    [LibraryImport("libvips.so.42", EntryPoint = "vips_region_fetch")]
    private static partial IntPtr RegionFetch(IntPtr region, int left, int top, int width, int height, out nuint length);

    public void Dispose()
    {
        kill.Dispose();
        image.Dispose();
    }
}
