namespace SuperRes.Server.Settings;

/// <summary>The example settings file's "replace-with-…" values, refused at start-up: a key or secret everyone knows.</summary>
internal static class Placeholders
{
    public static bool Is(string? value) => value is not null && value.StartsWith("replace-with", StringComparison.OrdinalIgnoreCase);
}
