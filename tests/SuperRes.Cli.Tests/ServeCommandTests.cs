using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SuperRes.Cli.Tests;

public class ServeCommandTests
{
    [Fact]
    public async Task Serve_starts_the_service_with_settings_from_the_command_line()
    {
        var psi = CliRun.StartInfo(["serve", "--urls", "http://127.0.0.1:0", "--SuperRes:Preload:0=esrgan-slim:2", "--SuperRes:Cache:MaxBytes=0"]);
        using var server = Process.Start(psi)!;
        try
        {
            // ASP.NET Core logs the address it bound; with port 0 that is the only way to learn it.
            string? url = null;
            while (url is null && await server.StandardOutput.ReadLineAsync() is { } line)
            {
                url = Regex.Match(line, @"Now listening on: (http://\S+)") is { Success: true } m ? m.Groups[1].Value : null;
            }
            Assert.NotNull(url);
            Assert.StartsWith("http://127.0.0.1:", url);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            string? ready = null;
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (DateTime.UtcNow < deadline)
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    ready = await response.Content.ReadAsStringAsync();
                    break;
                }
                await Task.Delay(100);
            }
            Assert.Contains("ready", ready);
            var models = await client.GetStringAsync("/api/v1/models");
            Assert.Contains("\"loadedScales\":[2]", models);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
