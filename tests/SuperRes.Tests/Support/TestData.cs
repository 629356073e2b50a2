using OpenCvSharp;

namespace SuperRes.Tests.Support;

/// <summary>
/// The read-only test data beside the repository (../shared): Set5, Set14 and the OpenCV zoo models.
/// A missing ../shared fails the test with a message rather than skipping it.
/// </summary>
public static class TestData
{
    public static string Shared => TestPaths.Shared;

    public static string Set5 => Path.Combine(Shared, "datasets", "Set5");

    public static string Set14 => Path.Combine(Shared, "datasets", "Set14");

    public static string Zoo(string file) => TestPaths.Zoo(file);

    public static IEnumerable<string> Set5Images => DatasetImages("Set5");

    /// <summary>The HR images of a benchmark set in ../shared/datasets (Set5, Set14).</summary>
    public static IEnumerable<string> DatasetImages(string dataset) =>
        Directory.GetFiles(Path.Combine(Shared, "datasets", dataset), "*.png").Order(StringComparer.Ordinal);

    public static string Set5Image(string name) => Path.Combine(Set5, name + ".png");

    public static string Set5Lr(string name, int scale) => TestPaths.Set5Lr(name, scale);

    public static Mat Read(string path)
    {
        var m = TestImage.Read(path);
        return m.Empty() ? throw new FileNotFoundException(path) : m;
    }

    public static string RepoRoot => TestPaths.RepoRoot;
}
