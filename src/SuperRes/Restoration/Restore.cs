using System.Globalization;

namespace SuperRes.Restoration;

/// <summary>
/// How much restoration a request asks for: <see cref="Auto"/> (chosen from the file: its JPEG quality, else its
/// noise) or a fixed strength from 0 (the clean model) to 1 (the restoring model), in steps of
/// <see cref="Step"/>. Applies to models that have a restoring pair in the catalog (superres-edsr with superres-photo).
/// </summary>
public readonly record struct Restore
{
    /// <summary>Strengths are kept to this grid: each step is one mixed model file, made once and cached.</summary>
    public const double Step = 0.1;

    private Restore(double? strength) => Strength = strength;

    public static Restore Auto => default;

    /// <summary>The fixed strength, or null for auto.</summary>
    public double? Strength { get; }

    public bool IsAuto => Strength is null;

    /// <summary>A fixed strength, rounded to the nearest <see cref="Step"/>.</summary>
    public static Restore Fixed(double strength) =>
        strength is >= 0 and <= 1 ? new Restore(Round(strength)) : throw new ArgumentOutOfRangeException(nameof(strength), strength, "The restoration strength is between 0 and 1.");

    public static double Round(double strength) =>
        Math.Round(Math.Clamp(strength, 0, 1) / Step + 1e-9, MidpointRounding.AwayFromZero) / (1 / Step); // 0.3, not 3 * 0.1

    /// <summary>"auto", or a number from 0 to 1 ("0.5"); null with <paramref name="error"/> saying what is wrong.</summary>
    public static Restore? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
        {
            return Auto;
        }
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return Fixed(value);
        }
        error = $"restore must be \"auto\" or a number from 0 (none) to 1 (full), not \"{text.Trim()}\".";
        return null;
    }

    public override string ToString() => Strength is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "auto";
}
