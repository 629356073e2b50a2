namespace SuperRes.Server.Jobs;

/// <summary>The encoded image of a succeeded job, as a stream (from disk, or from Redis bytes); the reader disposes it.</summary>
public sealed record JobResult(Stream Content, string MediaType, string Extension);
