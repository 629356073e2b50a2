using System.Runtime.InteropServices;

namespace SuperRes.Imaging;

/// <summary>
/// OpenCV's own ceiling on decoded images, as a second line behind <see cref="ImageLimits"/>: if a file's
/// header and its decoder ever disagree, the decoder still refuses to allocate past it. OpenCV reads these
/// settings from the native environment once, when its library loads, so they are set natively (.NET's
/// Environment.SetEnvironmentVariable does not reach getenv on Linux) by the static constructors of the
/// types that make SuperRes's first OpenCV calls (<see cref="Upscaler"/>, <see cref="ImageDecoder"/>).
/// A value the user exported already is kept.
/// </summary>
internal static class OpenCvDecoderLimits
{
    public const long MaxPixels = 1L << 28;   // 268 megapixels: far above any limit a host would set
    public const int MaxSide = 1 << 18;       // 262144 pixels a side

    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        SetIfAbsent("OPENCV_IO_MAX_IMAGE_PIXELS", MaxPixels.ToString());
        SetIfAbsent("OPENCV_IO_MAX_IMAGE_WIDTH", MaxSide.ToString());
        SetIfAbsent("OPENCV_IO_MAX_IMAGE_HEIGHT", MaxSide.ToString());
    }

    private static void SetIfAbsent(string name, string value) => setenv(name, value, 0);

    [DllImport("libc", CharSet = CharSet.Ansi)]
#pragma warning disable SYSLIB1054 // a one-off call at start-up: no need for a generated stub
    private static extern int setenv(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054
}
