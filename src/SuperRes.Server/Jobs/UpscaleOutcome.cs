namespace SuperRes.Server.Jobs;

/// <summary>An encoded result and whether the cache supplied it.</summary>
public sealed record UpscaleOutcome(byte[] Data, string MediaType, string Extension, bool CacheHit, int Width, int Height, TimeSpan Elapsed);
