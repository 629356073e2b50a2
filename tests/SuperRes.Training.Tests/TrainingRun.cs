using System.Diagnostics;
using System.Globalization;

namespace SuperRes.Training.Tests;

/// <summary>
/// Runs the real training tool (training/superres_train) with Debian's Python, which has python3-torch:
/// not a python3 first on PATH, which may be another interpreter without it.
/// </summary>
public static class TrainingRun
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The photographs of Debian's mate-backgrounds (scripts/test installs it): real photos, not benchmark images.</summary>
    public const string Photos = "/usr/share/backgrounds/mate/nature";

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var run = await TryRunAsync(args);
        Assert.True(run.ExitCode == 0, $"training tool failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        return run;
    }

    /// <summary>Runs the tool and returns how it ended, failed or not: for the tests of its errors.</summary>
    public static async Task<CliRun> TryRunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(TestPaths.RepoRoot, "training"),
        };
        psi.ArgumentList.Add("-m");
        psi.ArgumentList.Add("superres_train");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A small model trained for a few steps on a few photos: the shared start of the tests.</summary>
    public static string[] TinyTrainArgs(string checkpoints, int steps, string cache, string arch = "edsr") =>
    [
        "train", "--data", Photos, "--arch", arch, "--blocks", "2", "--features", "16", "--scale", "3",
        "--steps", steps.ToString(CultureInfo.InvariantCulture), "--batch", "8", "--patch", "24", "--warmup", "5", "--lr", "2e-3",
        "--val-every", "20", "--log-every", "5", "--save-every", "10", "--val-size", "96", "--seed", "7",
        "--checkpoint-dir", checkpoints, "--cache-dir", cache,
    ];

    public static List<Dictionary<string, string>> ReadProgress(string checkpoints)
    {
        var lines = File.ReadAllLines(Path.Combine(checkpoints, "progress.csv"));
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }
}
