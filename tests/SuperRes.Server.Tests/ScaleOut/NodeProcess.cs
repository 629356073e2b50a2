using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SuperRes.Server.Tests.ScaleOut;

/// <summary>
/// One SuperRes node as its own process, started through the real CLI: <c>superres serve --role api</c> or
/// <c>superres worker</c>, pointed at a shared Redis. Its log is read as it comes, to learn the bound port
/// (API) or the consumer name (worker).
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();
    private readonly TaskCompletionSource<string> marker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Regex markerPattern;

    private NodeProcess(IEnumerable<string> args, string redis, Regex markerPattern)
    {
        this.markerPattern = markerPattern;
        var psi = CliRun.StartInfo(args, new Dictionary<string, string>
        {
            ["SUPERRES__Queue__Redis"] = redis,
            ["Logging__Console__FormatterName"] = "simple",
        });
        process = Process.Start(psi)!;
        process.StandardInput.Close();
        _ = PumpAsync(process.StandardOutput);
        _ = PumpAsync(process.StandardError);
        _ = process.WaitForExitAsync().ContinueWith(_ => marker.TrySetException(new InvalidOperationException("The node exited early:\n" + Log)), TaskScheduler.Default);
    }

    /// <summary>The API node's address, or the worker's consumer name.</summary>
    public string Identity { get; private set; } = "";

    public HttpClient? Client { get; private set; }

    public string Log => string.Join('\n', log);

    public static async Task<NodeProcess> StartApiAsync(string redis, params string[] settings)
    {
        var node = new NodeProcess(["serve", "--role", "api", "--urls", "http://127.0.0.1:0", .. Settings(settings)], redis, ListeningOn());
        node.Identity = await node.WaitForMarkerAsync();
        node.Client = new HttpClient { BaseAddress = new Uri(node.Identity), Timeout = TimeSpan.FromMinutes(2) };
        return node;
    }

    public static async Task<NodeProcess> StartWorkerAsync(string redis, params string[] settings)
    {
        var node = new NodeProcess(["worker", .. Settings(settings)], redis, WorkerReading());
        node.Identity = await node.WaitForMarkerAsync();
        return node;
    }

    /// <summary>Waits until the worker has loaded its models ("Ready" in its log).</summary>
    public async Task WaitForLogAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!log.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.False(process.HasExited, "The node exited:\n" + Log);
            Assert.True(DateTime.UtcNow < deadline, $"No \"{text}\" in the node's log:\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish, release or acknowledge anything.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private async Task<string> WaitForMarkerAsync() => await marker.Task.WaitAsync(TimeSpan.FromMinutes(2));

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            log.Enqueue(line);
            if (markerPattern.Match(line) is { Success: true } m)
            {
                marker.TrySetResult(m.Groups[1].Value);
            }
        }
    }

    private static IEnumerable<string> Settings(string[] settings) =>
        settings.Select(s => "--SuperRes:" + s).Append("--Logging:LogLevel:Default=Information");

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"Worker (\S+) reading")]
    private static partial Regex WorkerReading();

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
