using System.Text.Json;

namespace SuperRes.Models.Tools.Tfjs;

/// <summary>One Keras layer of a TensorFlow.js layers model, with the names of the layers that feed it.</summary>
public sealed record TfjsLayer(string ClassName, string Name, JsonElement Config, IReadOnlyList<string> InboundLayerNames);
