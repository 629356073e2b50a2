namespace SuperRes.Server.Hosting;

/// <summary>Whether the preloaded models are ready; /readyz answers from it.</summary>
public sealed class Readiness
{
    private volatile string? failure;
    private volatile bool ready;

    public bool IsReady => ready;

    public string? Failure => failure;

    public void MarkReady() => ready = true;

    public void MarkFailed(string reason) => failure = reason;
}
