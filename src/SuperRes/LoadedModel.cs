using SuperRes.Inference;
using SuperRes.Models;

namespace SuperRes;

/// <summary>A model with its engine pool, and how long loading took (including the engine choice for Auto).</summary>
public sealed record LoadedModel(ResolvedModel Model, EngineKind Engine, EnginePool Pool, TimeSpan LoadTime);
