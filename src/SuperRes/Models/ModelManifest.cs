using System.Text.Json;
using System.Text.Json.Serialization;

namespace SuperRes.Models;

/// <summary>What the model store knows of one installed model: its files per scale and how to feed them.</summary>
public sealed record ModelManifest
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public required string Name { get; init; }

    public required ModelKind Kind { get; init; }

    /// <summary>File name (inside the model's folder) per scale.</summary>
    public required SortedDictionary<int, string> Files { get; init; }

    /// <summary>dnn_superres algorithm name (edsr, espcn, fsrcnn, lapsrn) for zoo models.</summary>
    public string? Algorithm { get; init; }

    public ChannelOrder Channels { get; init; } = ChannelOrder.Rgb;

    public float Range { get; init; } = 1f;

    /// <summary>Where it came from: an npm package@version or an imported file name.</summary>
    public string? Source { get; init; }

    public string? License { get; init; }

    /// <summary>For a copy of a bundled model: the fingerprint of the files it was copied from (see <see cref="BundledModelFiles"/>).</summary>
    public string? Fingerprint { get; init; }

    public static ModelManifest? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null; // a broken manifest reads as "not installed", so a pull repairs it
        }
    }

    public void Save(string path)
    {
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }
}
