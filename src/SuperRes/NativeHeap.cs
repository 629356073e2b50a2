using System.Runtime.InteropServices;

namespace SuperRes;

/// <summary>
/// How the C heap (glibc malloc, under OpenCV, libvips and ONNX Runtime) treats large buffers; for hosts to set once at
/// start. glibc serves a freed block of up to 32 MB from its heap next time and keeps it, so the pipeline's band- and
/// strip-sized buffers (megabytes each, sized by the picture's width) pile up across threads' arenas: a 9 MP photo at x2
/// peaked at 589 MB, 86 MB above the same run with large blocks mapped and unmapped directly (503 MB).
/// </summary>
public static partial class NativeHeap
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>Blocks of 1 MiB and more go straight to the system and back when freed. A no-op off glibc.</summary>
    public static void ReturnLargeBlocks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            _ = MallOpt(MmapThreshold, 1 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries have no mallopt: their own defaults stay.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
