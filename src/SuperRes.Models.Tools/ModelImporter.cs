using SuperRes.Inference;
using SuperRes.Models.Tools.Tfjs;
using SuperRes.Models.Tools.Zoo;
using SuperRes.Models.Zoo;

namespace SuperRes.Models.Tools;

/// <summary>Copies a model file (.onnx, OpenCV zoo .pb, or a TensorFlow.js model.json) into the store after checking that it loads.</summary>
public sealed class ModelImporter(ModelStore store)
{
    public ModelManifest Import(string path, string? name = null, ModelOverrides? overrides = null)
    {
        overrides ??= new ModelOverrides();
        if (!File.Exists(path))
        {
            throw new ModelException($"The model file {path} does not exist.");
        }
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".pb" => ImportZoo(path, name, overrides),
            ".onnx" => ImportOnnx(path, name, overrides),
            ".json" => ImportTfjs(path, name),
            _ => throw new ModelException($"{Path.GetFileName(path)} is not a model SuperRes can import; give a .onnx file, an OpenCV zoo .pb file or a TensorFlow.js model.json."),
        };
    }

    /// <summary>
    /// A zoo graph is converted to ONNX (so it runs on the faster runtimes and can be quantized) when the conversion
    /// computes what dnn_superres computes on a probe image; otherwise the graph itself is kept, for dnn_superres.
    /// </summary>
    private ModelManifest ImportZoo(string path, string? name, ModelOverrides overrides)
    {
        var (parsedName, algorithm, scale) = ZooModelName.Describe(path, overrides);
        var tmp = Path.Combine(Path.GetTempPath(), $"superres-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var original = new OpenCvZooEngine(path, algorithm, scale))
            {
                // Loading proves the file is a readable graph before it enters the store.
                if (ZooConversion.TryConvert(path, algorithm, scale, tmp, original) is { } contract)
                {
                    return AddFile(name ?? parsedName, tmp, scale, ModelKind.Onnx, null, contract, source: path);
                }
            }
            return AddFile(name ?? parsedName, path, scale, ModelKind.OpenCvZoo, algorithm, new ModelContract(scale, ChannelOrder.Bgr, 255f));
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private ModelManifest ImportOnnx(string path, string? name, ModelOverrides overrides)
    {
        var contract = OnnxModelInspector.Inspect(path, overrides);
        return AddFile(name ?? ZooModelName.Parse(path).Name, path, contract.Scale, ModelKind.Onnx, null, contract);
    }

    private ModelManifest ImportTfjs(string path, string? name)
    {
        name ??= Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "tfjs-model";
        var tmp = Path.Combine(Path.GetTempPath(), $"superres-{Guid.NewGuid():N}.onnx");
        try
        {
            var contract = TfjsLayersConverter.Convert(path, tmp);
            return AddFile(name, tmp, contract.Scale, ModelKind.Onnx, null, contract, source: path);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private ModelManifest AddFile(string name, string file, int scale, ModelKind kind, string? algorithm, ModelContract contract, string? source = null)
    {
        name = ModelStore.SafeName(name);
        var existing = store.Find(name);
        if (existing is not null && (existing.Kind != kind || existing.Channels != contract.Channels || existing.Range != contract.Range))
        {
            throw new ModelException($"A different model named \"{name}\" is installed already; choose another name.");
        }
        var folder = store.FolderOf(name);
        Directory.CreateDirectory(folder);
        var target = $"x{scale}{(kind == ModelKind.OpenCvZoo ? ".pb" : ".onnx")}";
        File.Copy(file, Path.Combine(folder, target), overwrite: true);
        File.Delete(Path.Combine(folder, target) + ".engine"); // a new file needs its runtime timed again
        var files = existing?.Files ?? new SortedDictionary<int, string>();
        files[scale] = target;
        var manifest = new ModelManifest
        {
            Name = name,
            Kind = kind,
            Files = files,
            Algorithm = algorithm,
            Channels = contract.Channels,
            Range = contract.Range,
            Source = Path.GetFileName(source ?? file),
        };
        store.Register(manifest);
        return manifest;
    }
}
