using System.Runtime.CompilerServices;

namespace SuperRes.Testing;

/// <summary>Every test assembly binds libvips' codecs before any test touches OpenCV (see NativeLoadOrder).</summary>
internal static class NativeLibrariesFirst
{
    [ModuleInitializer]
    internal static void Load() => SuperRes.Imaging.Vips.NativeLoadOrder.Load();
}
