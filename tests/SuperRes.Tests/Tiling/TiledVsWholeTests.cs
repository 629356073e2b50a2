using SuperRes.Tests.Support;

namespace SuperRes.Tests.Tiling;

public class TiledVsWholeTests
{
    [Fact]
    public async Task Tiled_run_is_within_a_hundredth_of_a_dB_of_the_whole_image_run_on_Set5()
    {
        // 48-pixel cells split every Set5 image (76..170 px at x3) into 2x2 to 4x4 tiles.
        var whole = await ProtocolBench.Run(null, 3, tile: 0);
        var tiled = await ProtocolBench.Run(null, 3, tile: 48);
        double diff = Math.Abs(whole.Average(r => r.Psnr) - tiled.Average(r => r.Psnr));
        Assert.True(diff <= 0.01, $"tiled {tiled.Average(r => r.Psnr):F4} dB vs whole {whole.Average(r => r.Psnr):F4} dB");
    }
}
