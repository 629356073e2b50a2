using SuperRes.Server.Settings;
namespace SuperRes.Server.Pipeline;

/// <summary>One image took longer than <see cref="ServerOptions.MaxJobSeconds"/> and was stopped.</summary>
public sealed class TimeLimitException(int seconds)
    : Exception($"The image took longer than this server's limit of {seconds} s and was stopped; send a smaller image or a lower scale.")
{
    public int Seconds { get; } = seconds;
}
