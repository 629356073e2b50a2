namespace SuperRes.Cli.Batch;

/// <summary>What happened to one input of a batch.</summary>
public sealed record BatchItemResult(string Input, string? Output, string? Error, int Width, int Height, TimeSpan Elapsed)
{
    public bool Succeeded => Error is null;

    /// <summary>Something the output left out that the input had (an oversize colour profile), or null.</summary>
    public string? Note { get; init; }

    /// <summary>The restoration strength it was upscaled with and why, or null (a model without a restoring pair).</summary>
    public Restoration.RestoreChoice? Restore { get; init; }
}
