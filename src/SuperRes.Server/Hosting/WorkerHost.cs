using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Hosting;

/// <summary>A worker-only process (<c>superres worker</c>): runs jobs from the shared Redis queue, serves no HTTP.</summary>
public static class WorkerHost
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        SettingsFile.Apply(builder.Configuration, args);
        builder.Configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.Role)}"] = nameof(NodeRole.Worker);
        var options = ServerSettings.Load(builder.Configuration, out var notes);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSuperRes(options);
        var host = builder.Build();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerHost));
        foreach (var note in notes)
        {
            log.LogWarning("{Note}", note);
        }
        return host;
    }
}
