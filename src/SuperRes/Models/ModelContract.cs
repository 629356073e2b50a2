namespace SuperRes.Models;

/// <summary>Channel order a model expects at its input and produces at its output.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}

/// <summary>
/// How to feed an ONNX super-resolution model: NCHW float32, channels in <see cref="Channels"/> order,
/// values in [0, <see cref="Range"/>] in and out, output <see cref="Scale"/> times the input size.
/// Stored in the ONNX file's metadata_props so a converted model carries its own contract.
/// </summary>
public sealed record ModelContract(int Scale, ChannelOrder Channels = ChannelOrder.Rgb, float Range = 1f)
{
    public const string ScaleKey = "superres.scale";
    public const string ChannelsKey = "superres.channels";
    public const string RangeKey = "superres.range";

    public IEnumerable<KeyValuePair<string, string>> ToProperties()
    {
        yield return new(ScaleKey, Scale.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new(ChannelsKey, Channels.ToString().ToUpperInvariant());
        yield return new(RangeKey, Range.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Reads what the file declares; keys it lacks stay null so flags or shapes can fill them.</summary>
    public static (int? Scale, ChannelOrder? Channels, float? Range) FromProperties(IReadOnlyDictionary<string, string> props)
    {
        int? scale = props.TryGetValue(ScaleKey, out var s) && int.TryParse(s, out var si) ? si : null;
        ChannelOrder? channels = props.TryGetValue(ChannelsKey, out var c) && Enum.TryParse<ChannelOrder>(c, true, out var ci) ? ci : null;
        float? range = props.TryGetValue(RangeKey, out var r) &&
            float.TryParse(r, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ri) ? ri : null;
        return (scale, channels, range);
    }
}
