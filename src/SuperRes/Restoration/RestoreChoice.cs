using System.Globalization;

namespace SuperRes.Restoration;

/// <summary>The strength a picture was restored with and why: what the CLI, the API and the web page report.</summary>
/// <param name="Strength">0 (the clean model) to 1 (the restoring model).</param>
/// <param name="Basis">What decided it, in a few words: "JPEG quality 60", "noise 4.2", "asked".</param>
/// <param name="Auto">Chosen from the file, not asked for.</param>
public sealed record RestoreChoice(double Strength, string Basis, bool Auto)
{
    /// <summary>"0.9 (auto: JPEG quality 60)", the form of the X-SuperRes-Restore header and the CLI's lines.</summary>
    public override string ToString() =>
        Strength.ToString("0.0", CultureInfo.InvariantCulture) + (Auto ? $" (auto: {Basis})" : "");
}
