namespace SuperRes.Models;

/// <summary>What the user states about a model file given by path, overriding what the file says.</summary>
public sealed record ModelOverrides(ChannelOrder? Channels = null, float? Range = null, string? Algorithm = null, int? Scale = null);
