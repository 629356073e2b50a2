namespace SuperRes.Models.Onnx;

/// <summary>Facts about an ONNX graph that decide which runtime may run it.</summary>
public static class OnnxGraphFacts
{
    /// <summary>
    /// True when the graph has a DepthToSpace in CRD order (how PyTorch exports PixelShuffle). OpenCV DNN
    /// cannot be trusted with it: once OpenCV's dnn_superres module has loaded a zoo model in the process,
    /// its own DepthToSpace layer, which always works in DCR order, replaces the built-in one for every
    /// later OpenCV net, and a CRD graph then computes a scrambled picture.
    /// </summary>
    public static bool HasCrdDepthToSpace(string path) =>
        OnnxModelFile.ReadNodes(path).Any(n => n.OpType == "DepthToSpace"
            && n.Attribute.Any(a => a.Name == "mode" && a.S.ToStringUtf8() == "CRD"));
}
