namespace SuperRes.Server.Jobs;

/// <summary>One image took longer than <see cref="ServerOptions.MaxJobSeconds"/> and was stopped.</summary>
public sealed class JobTimeLimitException(int seconds)
    : Exception($"The image took longer than this server's limit of {seconds} s and was stopped; send a smaller image or a lower scale.")
{
    public int Seconds { get; } = seconds;
}
