namespace SuperRes.Testing;

/// <summary>
/// Where the repository, ../shared (read-only test data) and the test model store are. Compiled into
/// every test project. A missing ../shared fails the test with a message rather than skipping it.
/// </summary>
public static class TestPaths
{
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

    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Environment.GetEnvironmentVariable("SUPERRES_SHARED") ?? Path.Combine(RepoRoot, "..", "shared"));
            if (!Directory.Exists(Path.Combine(shared, "datasets", "Set5")))
            {
                throw new InvalidOperationException($"Test data not found at {shared}: the tests need ../shared (datasets/Set5, models/opencv-zoo) beside the repository.");
            }
            return shared;
        }
    }

    /// <summary>One model store for the whole run (scripts/test fills it), so models are fetched once.</summary>
    public static string ModelStore =>
        Environment.GetEnvironmentVariable("SUPERRES_TEST_MODELS") ?? Path.Combine(RepoRoot, "artifacts", "test-models");

    public static string Set5Dir => Path.Combine(Shared, "datasets", "Set5");

    public static string Set5(string name) => Path.Combine(Set5Dir, name + ".png");

    public static string Set5Lr(string name, int scale) => Path.Combine(Set5Dir, "LR_bicubic", $"X{scale}", name + ".png");

    public static string Zoo(string file) => Path.Combine(Shared, "models", "opencv-zoo", file);
}
