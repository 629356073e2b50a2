using System.CommandLine;
using Microsoft.Extensions.Hosting;
using SuperRes.Server;
using SuperRes.Server.Settings;

namespace SuperRes.Cli.Commands;

/// <summary><c>superres serve [--urls URL]</c>: the web page, REST API and job queue. Other settings come from configuration (SUPERRES__...).</summary>
public static class ServeCommand
{
    private static readonly Option<string?> Urls = new("--urls") { Description = $"Address to listen on (default {SuperResServer.DefaultUrl})." };

    private static readonly Option<NodeRole> Role = new("--role")
    {
        Description = "all: API and worker (default); api: accept jobs, run none (needs SUPERRES__Queue__Redis).",
        DefaultValueFactory = _ => NodeRole.All,
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the SuperRes web service (page, REST API, job queue).") { Urls, Role, SharedOptions.SettingsFile, SharedOptions.ServicePrecision, SharedOptions.ModelsDir };
        // Configuration keys pass straight through, e.g. --SuperRes:Jobs:QueueCapacity=8.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (r, ct) =>
        {
            var args = new List<string>(r.UnmatchedTokens);
            if (r.GetValue(Urls) is { } urls)
            {
                args.Add($"--urls={urls}");
            }
            if (r.GetValue(Role) == NodeRole.Worker)
            {
                throw new ArgumentException("A worker serves no HTTP: run 'superres worker' instead of 'serve --role worker'.");
            }
            args.Add($"--SuperRes:Role={r.GetValue(Role)}");
            r.AddPrecisionSettings(args);
            if (r.GetValue(SharedOptions.ModelsDir) is { } store)
            {
                args.Add($"--SuperRes:ModelStore={store}");
            }
            await using var app = SuperResServer.Build([.. args]);
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
