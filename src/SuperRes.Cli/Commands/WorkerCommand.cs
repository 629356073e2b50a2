using System.CommandLine;
using Microsoft.Extensions.Hosting;
using SuperRes.Server.Hosting;

namespace SuperRes.Cli.Commands;

/// <summary>
/// <c>superres worker</c>: runs jobs from the shared Redis queue (SUPERRES__Queue__Redis), no HTTP. Other
/// settings come from configuration as for <c>serve</c> (e.g. --SuperRes:Jobs:Workers=2).
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker", "Run jobs from the shared Redis job queue (needs SUPERRES__Queue__Redis).") { SharedOptions.SettingsFile, SharedOptions.ServicePrecision, SharedOptions.ModelsDir };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (r, ct) =>
        {
            var args = new List<string>(r.UnmatchedTokens);
            r.AddPrecisionSettings(args);
            if (r.GetValue(SharedOptions.ModelsDir) is { } store)
            {
                args.Add($"--SuperRes:ModelStore={store}");
            }
            using var host = WorkerHost.Build([.. args]);
            await host.StartAsync(ct);
            await host.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
