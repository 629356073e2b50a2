using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SuperRes.Server.Hosting;

/// <summary>A worker-only process (<c>superres worker</c>): runs jobs from the shared Redis queue, serves no HTTP.</summary>
public static class WorkerHost
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        SettingsFile.Apply(builder.Configuration, args);
        builder.Configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.Role)}"] = nameof(NodeRole.Worker);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSuperRes(options);
        return builder.Build();
    }
}
