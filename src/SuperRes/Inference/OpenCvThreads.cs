using OpenCvSharp;

namespace SuperRes.Inference;

/// <summary>
/// OpenCV keeps one worker-thread count for the whole process. Each OpenCV engine sets its own count just before it
/// runs, rather than an upscaler setting it once when it is built, so two upscalers with different thread settings
/// (or a caller's own OpenCV work) each get what they asked for.
/// </summary>
internal static class OpenCvThreads
{
    public static void Use(int threads)
    {
        if (threads > 0 && Cv2.GetNumThreads() != threads)
        {
            Cv2.SetNumThreads(threads);
        }
    }
}
