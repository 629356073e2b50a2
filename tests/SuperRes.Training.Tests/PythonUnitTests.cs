using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SuperRes.Training.Tests;

/// <summary>
/// The training package's own unit tests (training/tests, Python's unittest), run with Debian's interpreter so that
/// CI's one test command covers them. Every test function written there must have run, so a file that fails to be
/// discovered (an import error, a misspelt name) fails here instead of passing unseen.
/// </summary>
public class PythonUnitTests
{
    [Fact]
    public async Task The_training_packages_unit_tests_all_run_and_pass()
    {
        string training = Path.Combine(TestPaths.RepoRoot, "training");
        var psi = new ProcessStartInfo(TrainingRun.Python, "-m unittest discover -s tests -v")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = training,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string report = await stderr; // unittest reports on standard error
        Assert.True(process.ExitCode == 0, $"python unit tests failed:\n{await stdout}\n{report}");

        int written = Directory.GetFiles(Path.Combine(training, "tests"), "test_*.py")
            .Sum(f => Regex.Matches(File.ReadAllText(f), @"^\s+def test_", RegexOptions.Multiline).Count);
        int ran = int.Parse(Regex.Match(report, @"Ran (\d+) tests?").Groups[1].Value);
        Assert.True(written > 0);
        Assert.Equal(written, ran);
    }
}
