using SuperRes.Models.Onnx;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Models;

public class OnnxCostTests
{
    [Fact]
    public void Weights_in_constant_nodes_and_grouped_convolutions_are_counted()
    {
        // CARN-M keeps its weights as Constant nodes and uses grouped 3x3 convolutions. The paper gives 46.1 G
        // multiply-adds for a 1280x720 output at x3, that is about 0.45 M per input pixel.
        long macs = OnnxCost.MacsPerInputPixel(Path.Combine(TestData.Shared, "models", "teachers", "CARN-M_x3.onnx"));
        Assert.InRange(macs, 350_000, 600_000);
    }
}
