namespace SuperRes.Imaging;

/// <summary>The colour space of the result. Either way the model works in sRGB (an input with a profile is converted first).</summary>
public enum ColourMode
{
    /// <summary>Back to the input's own profile, embedded in the result (where the format carries one): the default.</summary>
    Keep,

    /// <summary>sRGB, with no profile embedded: what the web and most viewers assume.</summary>
    Srgb,
}

/// <summary>Parses what users type for <see cref="ColourMode"/>.</summary>
public static class ColourModes
{
    /// <summary>"keep" or "srgb" (any case); null for anything else.</summary>
    public static ColourMode? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "keep" => ColourMode.Keep,
        "srgb" => ColourMode.Srgb,
        _ => null,
    };
}
