namespace SuperRes.Models;

/// <summary>
/// A model cannot be found, fetched, read or run. The message says what is wrong in one sentence; the
/// <see cref="Reason"/> lets each host word the remedy its own way (the CLI names a command, the server an HTTP status).
/// </summary>
public sealed class ModelException(string message, Exception? inner = null) : Exception(message, inner)
{
    public ModelProblem Reason { get; init; } = ModelProblem.Invalid;

    /// <summary>The catalog or installed model concerned, when there is one (the remedy names it).</summary>
    public string? Model { get; init; }

    /// <summary>The scale concerned, when one is.</summary>
    public int? Scale { get; init; }
}

/// <summary>Why a model cannot be used.</summary>
public enum ModelProblem
{
    /// <summary>What was asked for is not a usable model or option (a bad file, a name, an option that does not apply).</summary>
    Invalid,

    /// <summary>No installed or catalog model has that name.</summary>
    NotFound,

    /// <summary>The model exists but not at that scale.</summary>
    UnsupportedScale,

    /// <summary>An installed model's file is damaged or missing: the installation's fault, not the request's.</summary>
    Damaged,

    /// <summary>The model could not be fetched now (the registry unreachable, npm missing): worth trying again later.</summary>
    Unavailable,

    /// <summary>The chosen engine or precision cannot run this model.</summary>
    EngineMismatch,

    /// <summary>The model needs fetching or converting, which the host's <see cref="IModelWorkshop"/> does, and the host
    /// has none: its set-up's fault, not the request's.</summary>
    NoWorkshop,

    /// <summary>int8 was asked for and the model has no checked int8 copy (<see cref="ModelException.Model"/> names
    /// what a copy would be made from: an installed model's name or a file).</summary>
    NoInt8Copy,
}
