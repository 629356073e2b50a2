using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SuperRes.Server.Tests.ScaleOut;

/// <summary>
/// A real redis-server (the Debian package scripts/test installs) on a free loopback port, with an
/// append-only file in its own folder so it can be stopped and started again with its data.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempFolder folder = new();
    private Process? process;

    private readonly string[] extra;

    private RedisServer(int port, string[] extra)
    {
        Port = port;
        this.extra = extra;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="settings">More redis-server arguments, e.g. "--maxmemory", "2mb".</param>
    public static async Task<RedisServer> StartAsync(params string[] settings)
    {
        var server = new RedisServer(FreePort(), settings);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var psi = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", folder.Path, "--save", "", "--appendonly", "yes", "--appendfsync", "always" }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start; scripts/test installs it.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Stops the server the way an operator or a crash-free restart would (SIGTERM: it writes its data and exits).</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Freezes the server (SIGSTOP), as a stalled host or a long fork would: connections stay, nothing answers.</summary>
    public void Pause() => Process.Start("kill", ["-STOP", process!.Id.ToString()])!.WaitForExit();

    public void Resume() => Process.Start("kill", ["-CONT", process!.Id.ToString()])!.WaitForExit();

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                await using var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                int n = await stream.ReadAsync(buffer);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"redis-server did not answer on port {Port}.");
            }
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        folder.Dispose();
    }
}
