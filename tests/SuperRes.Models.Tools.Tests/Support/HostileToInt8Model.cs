using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;

namespace SuperRes.Tests.Support;

/// <summary>
/// A x2 model that is exact in float and hopeless in int8: one tensor carries the image twice, once multiplied by
/// 1000, and the next convolution reads only the small copy. Any per-tensor 8-bit grid that spans the large copy has a
/// step of about 4, so the small copy (values 0..1) quantizes to nothing.
/// </summary>
public static class HostileToInt8Model
{
    public static void Write(string path)
    {
        var g = new OnnxGraphBuilder("hostile-to-int8");
        var x = g.AddImageInput("input", 3);
        x = g.Conv(x, "first", Identity(3), [], 3, 3, 1, 1);
        var both = new float[6 * 3];
        for (int c = 0; c < 3; c++)
        {
            both[c * 3 + c] = 1000f;
            both[(c + 3) * 3 + c] = 1f;
        }
        x = g.Conv(x, "widen", both, [], 3, 6, 1, 1);
        var small = new float[3 * 6];
        for (int c = 0; c < 3; c++)
        {
            small[c * 6 + c + 3] = 1f;
        }
        x = g.Conv(x, "pick", small, [], 6, 3, 1, 1);
        // DepthToSpace (DCR) reads output channel (i * 2 + j) * 3 + c for colour c at sub-pixel (i, j): nearest neighbour.
        var spread = new float[12 * 3];
        for (int k = 0; k < 12; k++)
        {
            spread[k * 3 + k % 3] = 1f;
        }
        x = g.Conv(x, "last", spread, [], 3, 12, 1, 1);
        g.AddNode("DepthToSpace", [x], "output", "shuffle", OnnxGraphBuilder.Int("blocksize", 2), OnnxGraphBuilder.Text("mode", "DCR"));
        g.AddImageOutput("output", 3);
        g.Save(path);
    }

    private static float[] Identity(int n)
    {
        var w = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            w[i * n + i] = 1f;
        }
        return w;
    }
}
