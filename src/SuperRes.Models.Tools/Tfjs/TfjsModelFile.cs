using System.Text.Json;

namespace SuperRes.Models.Tools.Tfjs;

/// <summary>
/// A TensorFlow.js layers model as stored on disk: the topology from model.json and the float32
/// weights read from its shards (the manifest lists weights in the order their bytes follow each other).
/// </summary>
public sealed class TfjsModelFile
{
    private readonly Dictionary<string, float[]> weights;

    private TfjsModelFile(IReadOnlyList<TfjsLayer> layers, string outputLayerName, Dictionary<string, float[]> weights)
    {
        Layers = layers;
        OutputLayerName = outputLayerName;
        this.weights = weights;
    }

    public IReadOnlyList<TfjsLayer> Layers { get; }

    public string OutputLayerName { get; }

    public float[] Weight(string name, int expectedLength)
    {
        if (!weights.TryGetValue(name, out var w))
        {
            throw new ModelException($"The TensorFlow.js model has no weight \"{name}\"; the model files are incomplete, pull the model again.");
        }
        if (w.Length != expectedLength)
        {
            throw new ModelException($"Weight \"{name}\" holds {w.Length} values where the layer needs {expectedLength}; the model files are inconsistent.");
        }
        return w;
    }

    public static TfjsModelFile Load(string modelJsonPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        }
        catch (JsonException e)
        {
            throw new ModelException($"{Path.GetFileName(modelJsonPath)} is not valid JSON; the model download is corrupt, pull the model again.", e);
        }
        try
        {
            return Read(doc, modelJsonPath);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A field missing or of the wrong kind: the file is not what it claims, whoever wrote it.
            throw new ModelException($"{Path.GetFileName(modelJsonPath)} is not a complete TensorFlow.js layers model ({e.Message}).", e);
        }
    }

    private static TfjsModelFile Read(JsonDocument doc, string modelJsonPath)
    {
        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetString() != "layers-model")
            {
                throw new ModelException($"{modelJsonPath} is not a TensorFlow.js layers model (format \"layers-model\").");
            }
            var config = root.GetProperty("modelTopology").GetProperty("model_config").GetProperty("config");
            var layers = new List<TfjsLayer>();
            foreach (var l in config.GetProperty("layers").EnumerateArray())
            {
                var inbound = new List<string>();
                foreach (var node in l.GetProperty("inbound_nodes").EnumerateArray())
                {
                    foreach (var edge in node.EnumerateArray())
                    {
                        inbound.Add(edge[0].GetString()!);
                    }
                }
                layers.Add(new TfjsLayer(l.GetProperty("class_name").GetString()!, l.GetProperty("name").GetString()!,
                    l.GetProperty("config").Clone(), inbound));
            }
            var outputs = config.GetProperty("output_layers");
            if (outputs.GetArrayLength() != 1)
            {
                throw new ModelException("Only single-output TensorFlow.js models can be converted.");
            }
            var weights = ReadWeights(root.GetProperty("weightsManifest"), Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!);
            return new TfjsModelFile(layers, outputs[0][0].GetString()!, weights);
        }
    }

    private static Dictionary<string, float[]> ReadWeights(JsonElement manifest, string folder)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var group in manifest.EnumerateArray())
        {
            using var bytes = new MemoryStream();
            foreach (var path in group.GetProperty("paths").EnumerateArray())
            {
                // Shards live beside model.json: a manifest cannot make the importer read anything else.
                var file = Path.GetFullPath(Path.Combine(folder, path.GetString()!));
                if (!file.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new ModelException($"Weight shard {path.GetString()} is outside the model's folder; only files beside model.json are read.");
                }
                if (!File.Exists(file))
                {
                    throw new ModelException($"Weight shard {path.GetString()} is missing; pull the model again.");
                }
                using var s = File.OpenRead(file);
                s.CopyTo(bytes);
            }
            var all = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            int offset = 0;
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                if (w.GetProperty("dtype").GetString() != "float32" || w.TryGetProperty("quantization", out _))
                {
                    throw new ModelException($"Weight {w.GetProperty("name").GetString()} is not plain float32; quantized TensorFlow.js models are not supported.");
                }
                int count = 1;
                foreach (var d in w.GetProperty("shape").EnumerateArray())
                {
                    count *= d.GetInt32();
                }
                int byteCount = count * sizeof(float);
                if (offset + byteCount > all.Length)
                {
                    throw new ModelException("The weight shards are shorter than the manifest says; the model download is truncated, pull the model again.");
                }
                result[w.GetProperty("name").GetString()!] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(all.Slice(offset, byteCount)).ToArray();
                offset += byteCount;
            }
            if (offset != all.Length)
            {
                throw new ModelException("The weight shards are longer than the manifest says; the model files are inconsistent, pull the model again.");
            }
        }
        return result;
    }
}
