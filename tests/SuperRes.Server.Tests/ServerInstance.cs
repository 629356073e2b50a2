using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SuperRes.Server.Tests;

/// <summary>
/// A real SuperRes server on a free loopback port, configured the way a user would (command-line
/// configuration keys), with its own result cache folder. Tests talk to it over real HTTP.
/// </summary>
public sealed class ServerInstance : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string cacheFolder;

    private ServerInstance(WebApplication app, Uri address, string cacheFolder)
    {
        this.app = app;
        this.cacheFolder = cacheFolder;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(3) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>The server's last warnings and errors, with their exceptions: what a failing test prints.</summary>
    public string RecentLog(int count = 10) => string.Join(Environment.NewLine,
        app.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level >= LogLevel.Warning).TakeLast(count)
            .Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}"));

    public static async Task<ServerInstance> StartAsync(params string[] settings)
    {
        var cache = Path.Combine(Path.GetTempPath(), "superres-cache-" + Guid.NewGuid().ToString("N"));
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--SuperRes:ModelStore={TestPaths.ModelStore}",
            $"--SuperRes:Cache:Directory={cache}",
            "--SuperRes:Preload:0=esrgan-slim:2",
            // Background int8 copies of restoration mixes would change later tests' results in the shared store midway
            // (BackgroundQuantizerTests covers them).
            "--SuperRes:QuantizeMixes=false",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(settings.Select(s => "--SuperRes:" + s));
        // What the server logged (warnings and errors) is kept, so a test can say how a request ended on the server.
        var app = SuperResServer.Build([.. args], b => b.Logging.AddFakeLogging());
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        var instance = new ServerInstance(app, address, cache);
        await instance.WaitUntilReadyAsync();
        return instance;
    }

    /// <summary>Waits for /readyz to say the preloaded models are loaded (or fails after a minute).</summary>
    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The server did not become ready within a minute.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(cacheFolder, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or still held: a temp folder either way.
        }
    }
}
