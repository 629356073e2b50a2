using System.CommandLine;
using SuperRes.Models;

namespace SuperRes.Cli;

/// <summary>What a user can state about a model file whose name or metadata does not say it (upscale and models import).</summary>
public static class ModelFileOptions
{
    public static readonly Option<string?> Channels = new("--channels") { Description = "For an ONNX file: its channel order, rgb or bgr (default rgb)." };

    public static readonly Option<float?> Range = new("--range") { Description = "For an ONNX file: its value range, 1 or 255 (default 1)." };

    public static readonly Option<string?> Algorithm = new("--algorithm") { Description = "For a .pb file whose name does not say: edsr, espcn, fsrcnn or lapsrn." };

    static ModelFileOptions()
    {
        Channels.AcceptOnlyFromAmong("rgb", "bgr");
        Algorithm.AcceptOnlyFromAmong("edsr", "espcn", "fsrcnn", "lapsrn");
    }

    public static ModelOverrides ToOverrides(this ParseResult r, int? scale = null) => new(
        r.GetValue(Channels) is { } c ? Enum.Parse<ChannelOrder>(c, ignoreCase: true) : null,
        r.GetValue(Range),
        r.GetValue(Algorithm),
        scale);
}
