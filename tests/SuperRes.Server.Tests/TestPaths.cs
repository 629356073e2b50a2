namespace SuperRes.Server.Tests;

/// <summary>Where the repository, ../shared and the test model store are.</summary>
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
            throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }

    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Environment.GetEnvironmentVariable("SUPERRES_SHARED") ?? Path.Combine(RepoRoot, "..", "shared"));
            if (!Directory.Exists(Path.Combine(shared, "datasets", "Set5")))
            {
                throw new InvalidOperationException($"Test data not found at {shared}: the tests need ../shared beside the repository.");
            }
            return shared;
        }
    }

    public static string ModelStore =>
        Environment.GetEnvironmentVariable("SUPERRES_TEST_MODELS") ?? Path.Combine(RepoRoot, "artifacts", "test-models");

    public static string Set5(string name) => Path.Combine(Shared, "datasets", "Set5", name + ".png");

    public static string Set5Lr(string name, int scale) => Path.Combine(Shared, "datasets", "Set5", "LR_bicubic", $"X{scale}", name + ".png");
}
