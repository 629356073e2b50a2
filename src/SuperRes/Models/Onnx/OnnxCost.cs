namespace SuperRes.Models.Onnx;

/// <summary>
/// Counts a super-resolution ONNX model's convolution multiply-adds per input pixel from its graph:
/// each Conv costs its weight count at the resolution it runs at (DepthToSpace and Resize raise the
/// resolution of everything downstream). Other operators are ignored: convolutions dominate SR networks.
/// </summary>
public static class OnnxCost
{
    public static long MacsPerInputPixel(string path)
    {
        var model = OnnxModelFile.Read(path);
        var weights = model.Graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.Aggregate(1L, (a, d) => a * d));
        var scales = model.Graph.Initializer.Where(t => t.Dims.Count == 1 && t.Dims[0] == 4 && t.RawData.Length == 16)
            .ToDictionary(t => t.Name, t => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span)[3]);
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
