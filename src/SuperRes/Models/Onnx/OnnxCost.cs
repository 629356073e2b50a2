namespace SuperRes.Models.Onnx;

/// <summary>
/// Counts a super-resolution ONNX model's convolution multiply-adds per input pixel from its graph:
/// each Conv costs its weight count at the resolution it runs at (DepthToSpace and Resize raise the
/// resolution of everything downstream). Other operators are ignored: convolutions dominate SR networks.
/// Weights may be initializers or Constant nodes (as exporters of some frameworks write them); a grouped
/// convolution's weight tensor already holds only each output's share of the inputs, so its count is its cost; an int8
/// model's weights are followed through their DequantizeLinear.
/// </summary>
public static class OnnxCost
{
    public static long MacsPerInputPixel(string path)
    {
        var model = OnnxModelFile.Read(path);
        var tensors = model.Graph.Initializer.Select(t => (Name: t.Name, Tensor: t))
            .Concat(model.Graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1)
                .SelectMany(n => n.Attribute.Where(a => a.Name == "value" && a.T is not null).Select(a => (Name: n.Output[0], Tensor: a.T))))
            .ToList();
        var weights = tensors.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Tensor.Dims.Aggregate(1L, (a, d) => a * d));
        var scales = tensors.Where(t => t.Tensor.Dims.Count == 1 && t.Tensor.Dims[0] == 4 && t.Tensor.RawData.Length == 16)
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(g.First().Tensor.RawData.Span)[3]);
        var factor = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var input in model.Graph.Input)
        {
            factor[input.Name] = 1;
        }
        double macs = 0;
        foreach (var node in model.Graph.Node)
        {
            double f = node.Input.Select(i => factor.GetValueOrDefault(i, 0)).DefaultIfEmpty(1).Max();
            f = f == 0 ? 1 : f;
            switch (node.OpType)
            {
                case "Conv" when node.Input.Count > 1 && weights.TryGetValue(node.Input[1], out var count):
                    macs += count * f * f;
                    break;
                case "DequantizeLinear" when weights.TryGetValue(node.Input[0], out var quantized):
                    weights[node.Output[0]] = quantized; // an int8 model's weights reach its convolutions dequantized
                    break;
                case "DepthToSpace":
                    f *= node.Attribute.First(a => a.Name == "blocksize").I;
                    break;
                case "Resize" when node.Input.Count > 2 && scales.TryGetValue(node.Input[2], out var s):
                    f *= s;
                    break;
            }
            foreach (var output in node.Output)
            {
                factor[output] = f;
            }
        }
        return (long)Math.Round(macs);
    }
}
