using System.Text.RegularExpressions;

namespace SuperRes.Models.Zoo;

/// <summary>
/// Reads algorithm and scale from OpenCV dnn_superres zoo file names such as EDSR_x3.pb,
/// FSRCNN-small_x2.pb or LapSRN_x8.pb.
/// </summary>
public static partial class ZooModelName
{
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal) { "edsr", "espcn", "fsrcnn", "lapsrn" };

    /// <returns>Model name (e.g. "fsrcnn-small"), dnn_superres algorithm and scale; nulls where the name does not tell.</returns>
    public static (string Name, string? Algorithm, int? Scale) Parse(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var m = NamePattern().Match(stem);
        string name = (m.Success ? m.Groups["name"].Value : stem).ToLowerInvariant();
        int? scale = m.Success ? int.Parse(m.Groups["scale"].Value) : null;
        var family = name.Split('-', '_')[0];
        return (name, Algorithms.Contains(family) ? family : null, scale);
    }

    /// <summary>Name, algorithm and scale of a zoo file: what the user stated, else what the file name says, else
    /// <paramref name="requestedScale"/>; an error that says which option to pass where neither tells.</summary>
    public static (string Name, string Algorithm, int Scale) Describe(string path, ModelOverrides overrides, int? requestedScale = null)
    {
        var parsed = Parse(path);
        var algorithm = overrides.Algorithm ?? parsed.Algorithm
            ?? throw new ModelException($"Cannot tell the algorithm of {Path.GetFileName(path)} from its name; name it: edsr, espcn, fsrcnn or lapsrn.");
        int scale = overrides.Scale ?? parsed.Scale ?? requestedScale
            ?? throw new ModelException($"Cannot tell the scale of {Path.GetFileName(path)} from its name; pass -s.");
        return (parsed.Name, algorithm, scale);
    }

    [GeneratedRegex(@"^(?<name>.+?)[_-]x(?<scale>\d)$", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();
}
