using SuperRes.Models;

namespace SuperRes.Cli;

/// <summary>What to type next after a model problem, in the CLI's own words (the library only says what is wrong).</summary>
public static class ModelRemedies
{
    public static string Describe(ModelException e) => e.Reason switch
    {
        ModelProblem.NotFound => $"{e.Message.TrimEnd('.')}; run 'superres models list' to see installed and pullable models, or pass the path of a .onnx or .pb file.",
        ModelProblem.UnsupportedScale => $"{e.Message.TrimEnd('.')}; pass -s with one of those or choose another model.",
        ModelProblem.Damaged when e.Model is not null => $"{e.Message.TrimEnd('.')}; run 'superres models pull {e.Model} --force' to fetch it again.",
        ModelProblem.Unavailable => $"{e.Message.TrimEnd('.')}; then try 'superres models pull' again.",
        ModelProblem.NoInt8Copy when e.Model is not null && e.Model.EndsWith(".pb", StringComparison.OrdinalIgnoreCase) =>
            $"{e.Message.TrimEnd('.')}; run 'superres models import {e.Model}', then 'superres models quantize' on the imported name, or pass --precision fp32.",
        ModelProblem.NoInt8Copy when e.Model is not null =>
            $"{e.Message.TrimEnd('.')}; run 'superres models quantize {e.Model}{(e.Scale is { } s && !File.Exists(e.Model) ? $" -s {s}" : "")}' first, or pass --precision fp32.",
        ModelProblem.EngineMismatch => $"{e.Message.TrimEnd('.')}; choose another --engine, or pass --precision fp32.",
        _ => e.Message,
    };
}
