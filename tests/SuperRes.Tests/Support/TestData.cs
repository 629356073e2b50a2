using OpenCvSharp;

namespace SuperRes.Tests.Support;

/// <summary>
/// The read-only test data beside the repository (../shared): Set5, Set14 and the OpenCV zoo models.
/// A missing ../shared fails the test with a message rather than skipping it.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> SharedRoot = new(FindShared);

    public static string Shared => SharedRoot.Value;

    public static string Set5 => Path.Combine(Shared, "datasets", "Set5");

    public static string Set14 => Path.Combine(Shared, "datasets", "Set14");

    public static string Zoo(string file) => Path.Combine(Shared, "models", "opencv-zoo", file);

    public static IEnumerable<string> Set5Images => Directory.GetFiles(Set5, "*.png").Order(StringComparer.Ordinal);

    public static string Set5Image(string name) => Path.Combine(Set5, name + ".png");

    public static string Set5Lr(string name, int scale) => Path.Combine(Set5, "LR_bicubic", $"X{scale}", name + ".png");

    public static Mat Read(string path)
    {
        var m = Cv2.ImRead(path, ImreadModes.Unchanged);
        return m.Empty() ? throw new FileNotFoundException(path) : m;
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SuperRes.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("Cannot find the repository root (SuperRes.slnx) above " + AppContext.BaseDirectory);
        }
    }

    private static string FindShared()
    {
        var candidate = Environment.GetEnvironmentVariable("SUPERRES_SHARED") ?? Path.Combine(RepoRoot, "..", "shared");
        if (!Directory.Exists(Path.Combine(candidate, "datasets", "Set5")))
        {
            throw new InvalidOperationException($"Test data not found at {Path.GetFullPath(candidate)}: the tests need ../shared (datasets/Set5, models/opencv-zoo) beside the repository.");
        }
        return Path.GetFullPath(candidate);
    }
}
