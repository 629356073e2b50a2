using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Server.Settings;

namespace SuperRes.Cli;

/// <summary>Turns the exceptions a user can cause into one plain sentence; anything else stays a crash with a trace (a bug).</summary>
public static class CliErrors
{
    public static string? Describe(Exception e) => e switch
    {
        ModelException m => ModelRemedies.Describe(m),
        InvalidImageException => e.Message,
        FileNotFoundException f => $"{f.FileName ?? "a file"} was not found.",
        DirectoryNotFoundException => e.Message,
        UnauthorizedAccessException => e.Message,
        IOException => e.Message,
        OpenCVException cv => $"OpenCV failed: {cv.ErrMsg}.",
        OperationCanceledException => "Cancelled.",
        ArgumentException => e.Message,
        SuperRes.Server.Settings.ServerConfigurationException => e.Message,
        Microsoft.Extensions.Options.OptionsValidationException v => "invalid setting: " + string.Join(" ", v.Failures),
        // A setting that does not parse (--SuperRes:Limits:MaxUploadBytes=abc): the binder names the key and the value.
        InvalidOperationException when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => e.Message,
        _ => null,
    };
}
