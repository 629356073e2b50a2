namespace SuperRes.Models.Tools.Onnx;

/// <summary>
/// Writes an EDSR network (Lim et al. 2017) with random weights as an ONNX file: the shape of the
/// well-known recipe's EDSR_x3.pb (32 residual blocks of 256 filters, residual scaling 0.1, sub-pixel
/// upsampler), for speed benchmarks. BGR in [0, 255] with mean subtraction, as the recipe feeds it.
/// </summary>
public static class EdsrModelBuilder
{
    /// <summary>The DIV2K mean the recipe (dnn_superres) subtracts before EDSR and adds after it, in B, G, R order.</summary>
    internal static readonly float[] Mean = [103.1545782f, 111.561547f, 114.35629928f];

    public sealed record Shape(int Blocks = 32, int Filters = 256, int Scale = 3, float ResidualScaling = 0.1f)
    {
        /// <summary>Weights and biases of the network.</summary>
        public long Parameters =>
            Conv(3, Filters) + 2L * Blocks * Conv(Filters, Filters) + Conv(Filters, Filters) + Conv(Filters, 3 * Scale * Scale);

        /// <summary>Multiply-adds per input (low-resolution) pixel.</summary>
        public long MacsPerInputPixel => Parameters - (Filters + 2L * Blocks * Filters + Filters + 3 * Scale * Scale);

        private static long Conv(int cin, int cout) => 9L * cin * cout + cout;
    }

    public static ModelContract Write(string path, Shape shape, int seed = 1)
    {
        var rng = new Random(seed);
        var g = new OnnxGraphBuilder("edsr-random");
        int f = shape.Filters;
        var x = g.AddImageInput("input", 3);
        var mean = g.AddInitializer("mean", Mean, 1, 3, 1, 1);
        var centred = g.AddNode("Sub", [x, mean], "centred");

        var head = Conv(g, rng, centred, "head", 3, f);
        var body = head;
        var scaling = g.AddInitializer("residual_scaling", [shape.ResidualScaling]);
        for (int b = 0; b < shape.Blocks; b++)
        {
            var c1 = Conv(g, rng, body, $"block{b}.conv1", f, f);
            var r = g.AddNode("Relu", [c1], $"block{b}.relu");
            var c2 = Conv(g, rng, r, $"block{b}.conv2", f, f);
            var scaled = g.AddNode("Mul", [c2, scaling], $"block{b}.scaled");
            body = g.AddNode("Add", [body, scaled], $"block{b}.out");
        }
        var tail = Conv(g, rng, body, "body_end", f, f);
        var skip = g.AddNode("Add", [tail, head], "global_skip");
        var preShuffle = Conv(g, rng, skip, "upsample", f, 3 * shape.Scale * shape.Scale);
        var shuffled = g.AddNode("DepthToSpace", [preShuffle], "shuffled", "shuffle",
            OnnxGraphBuilder.Int("blocksize", shape.Scale), OnnxGraphBuilder.Text("mode", "DCR"));
        g.AddNode("Add", [shuffled, mean], "output");
        g.AddImageOutput("output", 3);

        var contract = new ModelContract(shape.Scale, ChannelOrder.Bgr, 255f);
        foreach (var (k, v) in contract.ToProperties())
        {
            g.SetMetadata(k, v);
        }
        g.SetMetadata("superres.source", $"EDSR random weights: {shape.Blocks} blocks x {shape.Filters} filters, seed {seed}");
        g.Save(path);
        return contract;
    }

    private static string Conv(OnnxGraphBuilder g, Random rng, string input, string name, int cin, int cout)
    {
        // Uniform in +-sqrt(3 / fan_in) keeps activations near unit variance through the depth.
        float limit = MathF.Sqrt(3f / (9 * cin));
        var w = new float[cout * cin * 9];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)(rng.NextDouble() * 2 - 1) * limit;
        }
        return g.Conv(input, name, w, new float[cout], cin, cout, 3, 3);
    }
}
