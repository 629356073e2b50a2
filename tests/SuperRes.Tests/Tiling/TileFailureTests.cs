using OpenCvSharp;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Tests.Support;
using SuperRes.Tiling;

namespace SuperRes.Tests.Tiling;

/// <summary>A tile that fails ends the picture with its own error, and the tiles queued behind it never run.</summary>
[Collection(SerialCollection.Name)]
public class TileFailureTests
{
    [Fact]
    public async Task A_failed_tile_is_the_error_thrown_and_the_rows_below_it_do_not_run()
    {
        // baby x4 LR is 128x128: cells of 32 make 4 rows of 4 tiles; the second row's second tile fails.
        using var image = ImageDecoder.Decode(File.ReadAllBytes(TestData.Set5Lr("baby", 4)));
        var model = await TestModels.Upscaler.LoadAsync("esrgan-slim", 2);
        var plan = TilePlanner.Plan(image.Width, image.Height, 32, 8);
        int calls = 0;
        const int failing = 5;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TiledUpscaler.RunAsync(image, plan, model.Pool,
            (_, _, _) => { }, null, CancellationToken.None,
            decorate: engine => new FailingAt(engine, () => Interlocked.Increment(ref calls) - 1 == failing)));
        Assert.Equal("tile 5 failed", error.Message);
        // The row's third tile may already wait for an engine of the pool when the fifth fails; nothing after it runs.
        Assert.InRange(calls, failing + 1, failing + 1 + model.Pool.Size);
    }

    /// <summary>The real engine, except on the call where <paramref name="fails"/> says so.</summary>
    private sealed class FailingAt(ISuperResEngine engine, Func<bool> fails) : ISuperResEngine
    {
        public bool ReplansPerShape => engine.ReplansPerShape;

        public bool PrefersFixedShape => engine.PrefersFixedShape;

        public long Initializations => engine.Initializations;

        public Mat Run(Mat bgrTile, CancellationToken ct = default) =>
            fails() ? throw new InvalidOperationException("tile 5 failed") : engine.Run(bgrTile, ct);

        public void Dispose()
        {
            // The pool owns the engine.
        }
    }
}
