using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SuperRes.Imaging.Vips;

/// <summary>
/// Loads libvips, and with it the system's libpng, libjpeg, libtiff and libwebp, with every symbol bound at once,
/// before OpenCV's native library can load. OpenCvSharp's library carries its own copies of those codecs and exports
/// them; a system libpng loaded after it binds its internal calls to OpenCV's copies, and libvips then crashes in the
/// first PNG it reads. Bound first, the system libraries keep their own functions. This runs when the SuperRes
/// assembly loads; hosts and tests that call OpenCV before any SuperRes type call <see cref="Load"/> first.
/// </summary>
public static class NativeLoadOrder
{
    private const int RtldNow = 2;
    private static bool loaded;

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The load order of two native libraries must be set before either is used; nothing else runs early enough.")]
    internal static void OnAssemblyLoad() => Load();

    /// <summary>Binds libvips and its codecs now; safe to call any number of times, and harmless where libvips is missing.</summary>
    public static void Load()
    {
        if (loaded || !OperatingSystem.IsLinux())
        {
            return;
        }
        loaded = dlopen("libvips.so.42", RtldNow) != IntPtr.Zero;
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr dlopen(string file, int mode);
}
