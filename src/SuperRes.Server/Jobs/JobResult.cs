namespace SuperRes.Server.Jobs;

/// <summary>The encoded image of a succeeded job.</summary>
public sealed record JobResult(byte[] Data, string MediaType, string Extension);
