using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SuperRes.Server.Tests;

/// <summary>The production example in deploy/ loads, passes validation and starts the service as documented.</summary>
public class DeploymentSettingsTests
{
    [Fact]
    public async Task The_example_settings_file_starts_a_keyed_service()
    {
        using var state = new TempFolder();
        var example = Path.Combine(TestPaths.RepoRoot, "deploy", "superres.example.json");
        // Only what must differ on a test machine: a free loopback port and folders of its own; the rest is the file's.
        await using var app = SuperResServer.Build(
        [
            $"--settings={example}",
            "--urls=http://127.0.0.1:0",
            $"--SuperRes:ModelStore={TestPaths.ModelStore}",
            $"--SuperRes:JobResultsDirectory={state.File("results")}",
            $"--SuperRes:Cache:Directory={state.File("cache")}",
            "--SuperRes:Preload:0=superres-edsr:3",
        ]);
        await app.StartAsync();
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        Assert.Equal(32, options.QueueCapacity);
        Assert.Single(options.ApiKeys);
        Assert.NotNull(options.WebhookSecret);
        Assert.False(options.Queue.Enabled);

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var anonymous = await client.GetAsync("/api/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode); // the file's API key is required
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/models");
        keyed.Headers.Add("X-Api-Key", options.ApiKeys[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(keyed)).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void A_settings_file_that_is_not_there_is_one_clear_error()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => SuperResServer.Build(["--settings=/nonexistent/superres.json"]));
        Assert.Contains("/nonexistent/superres.json does not exist", error.Message);
    }
}
