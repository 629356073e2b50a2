using System.CommandLine;

namespace SuperRes.Cli.Commands.Bench;

/// <summary><c>superres bench quality | speed | edsr-model</c>.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Measure model quality (SR protocol) and speed.")
    {
        QualityBenchCommand.Create(),
        SpeedBenchCommand.Create(),
        EdsrModelCommand.Create(),
    };
}
