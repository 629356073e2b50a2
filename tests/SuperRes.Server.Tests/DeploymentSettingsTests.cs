using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Tests;

/// <summary>The production example in deploy/ loads, passes validation and starts the service as documented.</summary>
public class DeploymentSettingsTests
{
    private const string Key = "5f1c0e6a9b3d4e27a8c1f0b2d3e4a5b6";

    [Fact]
    public async Task The_example_settings_file_with_its_placeholders_replaced_starts_a_keyed_service()
    {
        using var state = new TempFolder();
        var example = Path.Combine(TestPaths.RepoRoot, "deploy", "superres.example.json");
        // Only what must differ on a test machine: a free loopback port and folders of its own, and the two secrets an
        // operator must set; the rest is the file's.
        await using var app = SuperResServer.Build(
        [
            $"--settings={example}",
            "--urls=http://127.0.0.1:0",
            $"--SuperRes:ModelStore={TestPaths.ModelStore}",
            $"--SuperRes:Cache:Directory={state.File("cache")}",
            "--SuperRes:Preload:0=superres-edsr:3",
            $"--SuperRes:Security:ApiKeys:0={Key}",
            "--SuperRes:Webhooks:Secret=0f9e8d7c6b5a49382716051423324150",
        ]);
        await app.StartAsync();
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        Assert.Equal(32, options.Jobs.QueueCapacity);
        Assert.Single(options.Security.ApiKeys);
        Assert.NotNull(options.Webhooks.Secret);
        Assert.False(options.Queue.Enabled);

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var anonymous = await client.GetAsync("/api/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode); // the file's API key is required
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/models");
        keyed.Headers.Add("X-Api-Key", options.Security.ApiKeys[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(keyed)).StatusCode);
        // What the server is doing is not for everyone either.
        using var metrics = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        using var keyedMetrics = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        keyedMetrics.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(keyedMetrics)).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_example_settings_file_as_it_ships_is_refused_for_its_placeholder_key_and_secret()
    {
        var example = Path.Combine(TestPaths.RepoRoot, "deploy", "superres.example.json");
        var error = await Assert.ThrowsAsync<ServerConfigurationException>(async () =>
        {
            await using var app = SuperResServer.Build([$"--settings={example}", "--urls=http://127.0.0.1:0", $"--SuperRes:ModelStore={TestPaths.ModelStore}"]);
            await app.StartAsync();
        });
        Assert.Contains("Security:ApiKeys:0 is still the example's placeholder", error.Message);
        Assert.Contains("Webhooks:Secret is still the example's placeholder", error.Message);
    }

    [Fact]
    public void The_systemd_unit_bounds_memory_and_threads()
    {
        var unit = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "deploy", "superres.service"));
        Assert.Contains("MemoryMax=4G", unit);
        Assert.Contains(unit, l => l.StartsWith("TasksMax=", StringComparison.Ordinal));
    }

    [Fact]
    public void A_settings_file_that_is_not_there_is_one_clear_error()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => SuperResServer.Build(["--settings=/nonexistent/superres.json"]));
        Assert.Contains("/nonexistent/superres.json does not exist", error.Message);
    }

    [Fact]
    public void Old_flat_setting_names_still_work_and_start_up_says_what_each_became()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(configuration, new Dictionary<string, string?>
        {
            ["SuperRes:QueueCapacity"] = "7",
            ["SuperRes:ApiKeys:0"] = "a-key-of-sixteen-chars",
            ["SuperRes:Jobs:Workers"] = "3",
            ["SuperRes:Workers"] = "2", // the new name, set too, wins
            ["SuperRes:JobResultsDirectory"] = "/somewhere",
        });
        var options = ServerSettings.Load(configuration, out var notes);
        Assert.Equal(7, options.Jobs.QueueCapacity);
        Assert.Equal(["a-key-of-sixteen-chars"], options.Security.ApiKeys);
        Assert.Equal(3, options.Jobs.Workers);
        Assert.Contains("SuperRes:QueueCapacity is now SuperRes:Jobs:QueueCapacity; the old name still works.", notes);
        Assert.Contains("SuperRes:ApiKeys is now SuperRes:Security:ApiKeys; the old name still works.", notes);
        Assert.Contains(notes, n => n.StartsWith("SuperRes:JobResultsDirectory is no longer used", StringComparison.Ordinal));
    }

    [Fact]
    public void The_settings_file_beside_the_server_uses_only_current_names()
    {
        // An old name in the shipped file would greet every start-up with a warning about the product's own settings.
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        Microsoft.Extensions.Configuration.JsonConfigurationExtensions.AddJsonFile(configuration,
            Path.Combine(TestPaths.RepoRoot, "src", "SuperRes.Server", "appsettings.json"));
        ServerSettings.Load(configuration, out var notes);
        Assert.Empty(notes);
    }

    [Fact]
    public void A_setting_out_of_range_stops_start_up_naming_it()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(configuration, new Dictionary<string, string?>
        {
            ["SuperRes:Jobs:Workers"] = "0",
            ["SuperRes:Queue:MaxAttempts"] = "0",
        });
        var error = Assert.Throws<ServerConfigurationException>(() => ServerSettings.Load(configuration, out _));
        Assert.Contains("Workers", error.Message);
        Assert.Contains("MaxAttempts", error.Message);
    }
}
