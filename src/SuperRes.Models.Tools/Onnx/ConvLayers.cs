namespace SuperRes.Models.Tools.Onnx;

/// <summary>Convolution helpers shared by the model converters and generators.</summary>
internal static class ConvLayers
{
    /// <summary>
    /// Adds a stride-1 "same" convolution. <paramref name="weightsOIHW"/> is laid out
    /// [out, in, kh, kw] as ONNX expects.
    /// </summary>
    public static string Conv(this OnnxGraphBuilder g, string input, string name, ReadOnlySpan<float> weightsOIHW,
        ReadOnlySpan<float> bias, int inChannels, int outChannels, int kernelH, int kernelW, int dilation = 1)
    {
        var w = g.AddInitializer(name + ".weight", weightsOIHW, outChannels, inChannels, kernelH, kernelW);
        var inputs = new List<string> { input, w };
        if (!bias.IsEmpty)
        {
            inputs.Add(g.AddInitializer(name + ".bias", bias, outChannels));
        }
        // "same" padding for odd kernels at stride 1 is symmetric: (k - 1) * d / 2 on each side.
        long padH = (kernelH - 1) * dilation / 2, padW = (kernelW - 1) * dilation / 2;
        return g.AddNode("Conv", inputs, name + ".out", name,
            OnnxGraphBuilder.Ints("kernel_shape", kernelH, kernelW),
            OnnxGraphBuilder.Ints("pads", padH, padW, (kernelH - 1) * dilation - padH, (kernelW - 1) * dilation - padW),
            OnnxGraphBuilder.Ints("strides", 1, 1),
            OnnxGraphBuilder.Ints("dilations", dilation, dilation));
    }

    /// <summary>Rearranges a TensorFlow kernel [kh, kw, in, out] into ONNX's [out, in, kh, kw].</summary>
    public static float[] HwioToOihw(ReadOnlySpan<float> hwio, int kh, int kw, int cin, int cout)
    {
        var oihw = new float[hwio.Length];
        for (int y = 0; y < kh; y++)
        {
            for (int x = 0; x < kw; x++)
            {
                for (int i = 0; i < cin; i++)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        oihw[((o * cin + i) * kh + y) * kw + x] = hwio[((y * kw + x) * cin + i) * cout + o];
                    }
                }
            }
        }

        return oihw;
    }
}
