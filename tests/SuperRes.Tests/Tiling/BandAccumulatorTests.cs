using OpenCvSharp;
using SuperRes.Tiling;

namespace SuperRes.Tests.Tiling;

public class BandAccumulatorTests
{
    [Fact]
    public void Weighted_sums_are_the_scalar_expressions_bit_for_bit()
    {
        // Two overlapping tiles 41 columns wide (123 floats a row: whole vectors and a tail), added left to right.
        var rng = new Random(5);
        const int rows = 13, cols = 41, shift = 24, width = shift + cols;
        using var first = Noise(rows, cols, rng);
        using var second = Noise(rows, cols, rng);
        var weightX = Enumerable.Range(0, cols).Select(_ => rng.NextSingle()).ToArray();
        var weightY = Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? 0f : rng.NextSingle()).ToArray();
        Mat? flushed = null;
        using (var band = new BandAccumulator(width, rows, (_, m) => flushed = m.Clone()))
        {
            band.Add(first, 0, 0, weightX, weightY);
            band.Add(second, shift, 0, weightX, weightY);
            band.FlushUntil(rows);
        }
        using var result = flushed!;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < width; c++)
            {
                for (int ch = 0; ch < 3; ch++)
                {
                    float expected = 0f;
                    if (weightY[r] != 0f)
                    {
                        if (c < cols)
                        {
                            expected += first.At<Vec3f>(r, c)[ch] * (weightY[r] * weightX[c]);
                        }
                        if (c >= shift)
                        {
                            expected += second.At<Vec3f>(r, c - shift)[ch] * (weightY[r] * weightX[c - shift]);
                        }
                    }
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(result.At<Vec3f>(r, c)[ch]));
                }
            }
        }
    }

    private static Mat Noise(int rows, int cols, Random rng)
    {
        var m = new Mat(rows, cols, MatType.CV_32FC3);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                m.Set(r, c, new Vec3f(rng.NextSingle(), rng.NextSingle(), rng.NextSingle()));
            }
        }
        return m;
    }
}
