using System.Text.Json;
using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;

namespace SuperRes.Models.Tools.Tfjs;

/// <summary>
/// Converts a TensorFlow.js layers model (model.json + weight shards, NHWC) into an ONNX model (NCHW).
/// Supports the layer set of the UpscalerJS ESRGAN family: InputLayer, Conv2D (padding "same",
/// linear or relu; "valid" only for 1x1 kernels, where it is the same), Activation relu, Concatenate on
/// channels, Add, MultiplyBeta, PixelShuffle{N}x (ESRGAN thick) and UpSampling2D nearest (the RDN-based
/// slim and medium models).
/// </summary>
public static class TfjsLayersConverter
{
    public const string InputName = "input";
    public const string OutputName = "output";

    /// <summary>Converts <paramref name="modelJsonPath"/> and writes the ONNX file to <paramref name="onnxPath"/>.</summary>
    /// <param name="range">The value range the model was trained on (1 or 255); model.json does not record it.</param>
    public static ModelContract Convert(string modelJsonPath, string onnxPath, float range = 1f)
    {
        var model = TfjsModelFile.Load(modelJsonPath);
        var g = new OnnxGraphBuilder(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))) ?? "model");
        var tensors = new Dictionary<string, string>(StringComparer.Ordinal); // Keras layer name -> ONNX value name
        var channels = new Dictionary<string, int>(StringComparer.Ordinal);   // Keras layer name -> channel count
        int scale = 1;

        foreach (var layer in model.Layers)
        {
            var inputs = layer.InboundLayerNames;
            string Input(int i) => tensors[inputs[i]];
            switch (layer.ClassName)
            {
                case "InputLayer":
                    int inChannels = layer.Config.GetProperty("batch_input_shape")[3].GetInt32();
                    tensors[layer.Name] = g.AddImageInput(InputName, inChannels);
                    channels[layer.Name] = inChannels;
                    break;
                case "Conv2D":
                    (tensors[layer.Name], channels[layer.Name]) = AddConv2D(g, layer, Input(0), channels[inputs[0]], model);
                    break;
                case "Activation":
                    tensors[layer.Name] = AddActivation(g, layer.Config.GetProperty("activation").GetString(), Input(0), layer.Name);
                    channels[layer.Name] = channels[inputs[0]];
                    break;
                case "Concatenate":
                    int axis = layer.Config.GetProperty("axis").GetInt32();
                    if (axis != 3 && axis != -1)
                    {
                        throw Unsupported(layer, $"concatenation on axis {axis}");
                    }
                    tensors[layer.Name] = g.AddNode("Concat", inputs.Select(n => tensors[n]), layer.Name + ".out", layer.Name,
                        OnnxGraphBuilder.Int("axis", 1));
                    channels[layer.Name] = inputs.Sum(n => channels[n]);
                    break;
                case "Add":
                    tensors[layer.Name] = g.AddNode(inputs.Count == 2 ? "Add" : "Sum", inputs.Select(n => tensors[n]), layer.Name + ".out", layer.Name);
                    channels[layer.Name] = channels[inputs[0]];
                    break;
                case "MultiplyBeta":
                    // UpscalerJS registers this layer with a fixed beta of 0.2; the config repeats it.
                    float beta = layer.Config.TryGetProperty("beta", out var b) ? b.GetSingle() : 0.2f;
                    var betaName = g.AddInitializer(layer.Name + ".beta", [beta]);
                    tensors[layer.Name] = g.AddNode("Mul", [Input(0), betaName], layer.Name + ".out", layer.Name);
                    channels[layer.Name] = channels[inputs[0]];
                    break;
                case var name when name.StartsWith("PixelShuffle", StringComparison.Ordinal):
                    int block = layer.Config.TryGetProperty("scale", out var s) ? s.GetInt32() : int.Parse(name[12..^1]);
                    // tf.depthToSpace on NHWC reads channel (i * block + j) * C + c: ONNX's DCR order.
                    tensors[layer.Name] = g.AddNode("DepthToSpace", [Input(0)], layer.Name + ".out", layer.Name,
                        OnnxGraphBuilder.Int("blocksize", block), OnnxGraphBuilder.Text("mode", "DCR"));
                    channels[layer.Name] = channels[inputs[0]] / (block * block);
                    scale *= block;
                    break;
                case "UpSampling2D":
                    if (layer.Config.TryGetProperty("interpolation", out var interp) && interp.GetString() != "nearest")
                    {
                        throw Unsupported(layer, $"{interp.GetString()} upsampling");
                    }
                    int sy = layer.Config.GetProperty("size")[0].GetInt32(), sx = layer.Config.GetProperty("size")[1].GetInt32();
                    if (sx != sy)
                    {
                        throw Unsupported(layer, "unequal upsampling factors");
                    }
                    var scales = g.AddInitializer(layer.Name + ".scales", [1f, 1f, sy, sx], 4);
                    // Asymmetric coordinates with floor rounding repeat each pixel s times, as Keras does.
                    tensors[layer.Name] = g.AddNode("Resize", [Input(0), "", scales], layer.Name + ".out", layer.Name,
                        OnnxGraphBuilder.Text("mode", "nearest"),
                        OnnxGraphBuilder.Text("coordinate_transformation_mode", "asymmetric"),
                        OnnxGraphBuilder.Text("nearest_mode", "floor"));
                    channels[layer.Name] = channels[inputs[0]];
                    scale *= sy;
                    break;
                default:
                    throw Unsupported(layer, $"layer type {layer.ClassName}");
            }
        }

        var outputLayer = model.OutputLayerName;
        g.AddNode("Identity", [tensors[outputLayer]], OutputName, "output_identity");
        g.AddImageOutput(OutputName, channels[outputLayer]);
        var metadata = new ModelContract(scale, ChannelOrder.Rgb, range);
        foreach (var (k, v) in metadata.ToProperties())
        {
            g.SetMetadata(k, v);
        }
        g.SetMetadata("superres.source", "tfjs-layers");
        g.Save(onnxPath);
        return metadata;
    }

    private static (string Output, int Channels) AddConv2D(OnnxGraphBuilder g, TfjsLayer layer, string input, int inChannels, TfjsModelFile model)
    {
        var cfg = layer.Config;
        int kh = cfg.GetProperty("kernel_size")[0].GetInt32(), kw = cfg.GetProperty("kernel_size")[1].GetInt32();
        var padding = cfg.GetProperty("padding").GetString();
        if (padding != "same" && !(padding == "valid" && kh == 1 && kw == 1))
        {
            throw Unsupported(layer, $"padding \"{padding}\" on a {kh}x{kw} kernel");
        }
        if (cfg.GetProperty("strides")[0].GetInt32() != 1 || cfg.GetProperty("strides")[1].GetInt32() != 1)
        {
            throw Unsupported(layer, "strides other than 1");
        }
        if (cfg.TryGetProperty("groups", out var groups) && groups.GetInt32() != 1)
        {
            throw Unsupported(layer, "grouped convolution");
        }
        int dilation = cfg.GetProperty("dilation_rate")[0].GetInt32();
        int filters = cfg.GetProperty("filters").GetInt32();
        var kernel = model.Weight(layer.Name + "/kernel", kh * kw * inChannels * filters);
        var bias = cfg.GetProperty("use_bias").GetBoolean() ? model.Weight(layer.Name + "/bias", filters) : [];
        var oihw = ConvLayers.HwioToOihw(kernel, kh, kw, inChannels, filters);
        var output = g.Conv(input, layer.Name, oihw, bias, inChannels, filters, kh, kw, dilation);
        return (AddActivation(g, cfg.GetProperty("activation").GetString(), output, layer.Name + "_act"), filters);
    }

    private static string AddActivation(OnnxGraphBuilder g, string? activation, string input, string name) => activation switch
    {
        "linear" or null => input,
        "relu" => g.AddNode("Relu", [input], name + ".relu", name + ".relu"),
        _ => throw new ModelException($"Cannot convert TensorFlow.js activation \"{activation}\" in {name}: SuperRes supports linear and relu only."),
    };

    private static ModelException Unsupported(TfjsLayer layer, string what) =>
        new($"Cannot convert layer \"{layer.Name}\": {what} is not supported by the SuperRes TensorFlow.js converter.");
}
