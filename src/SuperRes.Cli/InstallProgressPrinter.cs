using SuperRes.Models;

namespace SuperRes.Cli;

/// <summary>Shows model download and conversion steps on stderr, one line each (they take seconds to minutes).</summary>
public sealed class InstallProgressPrinter : IProgress<ModelInstallProgress>
{
    public void Report(ModelInstallProgress value) =>
        Console.Error.WriteLine($"[{value.Step}/{value.Steps}] {value.Description}...");
}
