using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prometheus;
using SuperRes.Server.Api;
using SuperRes.Server.Hosting;
using SuperRes.Server.Observability;
using SuperRes.Server.Security;
using SuperRes.Server.Settings;

namespace SuperRes.Server;

/// <summary>Builds the SuperRes web service: wiring only; each piece lives in its own file.</summary>
public static class SuperResServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        SettingsFile.Apply(builder.Configuration, args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl); // loopback unless told otherwise
        }
        configure?.Invoke(builder);

        // Bound and validated once: a setting out of range stops start-up with one line naming it.
        var options = ServerSettings.Load(builder.Configuration, out var notes);
        builder.Services.AddSingleton(Options.Create(options));
        builder.AddSuperResProtection(options);
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.Limits.MaxUploadBytes + 64 * 1024);

        builder.Services.AddSuperRes(options);
        builder.Services.AddSingleton<SyncGate>();
        builder.Services.AddSingleton<PrometheusExport>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1");

        var app = builder.Build();
        foreach (var note in notes)
        {
            app.Logger.LogWarning("{Note}", note);
        }
        var prometheus = app.Services.GetRequiredService<PrometheusExport>(); // listening before the first request is counted
        app.Services.GetRequiredService<ServerMetrics>().TrackModels(app.Services.GetRequiredService<Upscaler>());
        // A problem the handler answered (a bad image, a limit) is the client's, not an error of ours: not logged as one.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = c => c.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService,
        });
        app.UseStatusCodePages();
        app.UseSuperResProtection(options);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseHttpMetrics(http => http.SetMetricFactory(Metrics.WithCustomRegistry(prometheus.Registry)));

        app.MapHealth();
        var metrics = app.MapMetrics("/metrics", prometheus.Registry);
        if (!options.Security.PublicMetrics)
        {
            metrics.RequireApiKeyIfConfigured(options); // with keys set, what the server is doing is not for everyone
        }
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "SuperRes API v1");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "SuperRes API";
        });
        var api = app.MapGroup("/api/v1").RequireApiKeyIfConfigured(options);
        api.MapUpscale();
        api.MapJobs();
        api.MapModels();
        app.MapRecipe(options);
        return app;
    }
}
