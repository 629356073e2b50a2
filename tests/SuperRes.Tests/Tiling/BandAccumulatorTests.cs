using OpenCvSharp;
using SuperRes.Tiling;

namespace SuperRes.Tests.Tiling;

public class BandAccumulatorTests
{
    [Fact]
    public void Every_pixel_arrives_once_as_the_scalar_sum_of_its_tiles_bit_for_bit()
    {
        // A 70x45 input in cells of 20 with overlap 4, at x3: 3 rows of 4 tiles whose shares meet in rows, columns and corners,
        // 3 x 4 = 12 floats per shared column (whole vectors and a tail).
        const int width = 70, height = 45, overlap = 4, scale = 3;
        var plan = TilePlanner.Plan(width, height, 20, overlap);
        var rng = new Random(5);
        var outputs = plan.Rows.Select(row => row.Select(t => Noise(t.Region.Height * scale, t.Region.Width * scale, rng)).ToList()).ToList();
        using var result = new Mat(height * scale, width * scale, MatType.CV_32FC3, Scalar.All(-1));
        var arrivals = new int[height * scale, width * scale];
        using (var band = new BandAccumulator(width * scale, 2 * overlap * scale, (x, y, block) =>
        {
            using var target = new Mat(result, new Rect(x, y, block.Cols, block.Rows));
            block.CopyTo(target);
            int rows = block.Rows, cols = block.Cols;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    arrivals[y + r, x + c]++;
                }
            }
        }))
        {
            for (int r = 0; r < plan.Rows.Count; r++)
            {
                var row = plan.Rows[r];
                for (int i = 0; i < row.Count; i++)
                {
                    var t = row[i].Region;
                    band.Add(outputs[r][i], t.X * scale, t.Y * scale, Weights(t.X, t.Width, width), Weights(t.Y, t.Height, height),
                        new Neighbours(i > 0, i + 1 < row.Count, r > 0, r + 1 < plan.Rows.Count));
                }
                band.EndRow();
            }
        }
        Assert.All(arrivals.Cast<int>(), n => Assert.Equal(1, n));

        using var expected = new Mat(height * scale, width * scale, MatType.CV_32FC3, Scalar.All(0));
        for (int r = 0; r < plan.Rows.Count; r++)
        {
            for (int i = 0; i < plan.Rows[r].Count; i++)
            {
                var t = plan.Rows[r][i].Region;
                var (wx, wy) = (Weights(t.X, t.Width, width), Weights(t.Y, t.Height, height));
                for (int y = 0; y < wy.Length; y++)
                {
                    for (int x = 0; x < wx.Length; x++)
                    {
                        if (wy[y] == 0f)
                        {
                            continue; // nothing added, as in the accumulator
                        }
                        var sum = expected.At<Vec3f>(t.Y * scale + y, t.X * scale + x);
                        var v = outputs[r][i].At<Vec3f>(y, x);
                        for (int ch = 0; ch < 3; ch++)
                        {
                            sum[ch] += v[ch] * (wy[y] * wx[x]);
                        }
                        expected.Set(t.Y * scale + y, t.X * scale + x, sum);
                    }
                }
            }
        }
        for (int y = 0; y < height * scale; y++)
        {
            for (int x = 0; x < width * scale; x++)
            {
                for (int ch = 0; ch < 3; ch++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected.At<Vec3f>(y, x)[ch]), BitConverter.SingleToInt32Bits(result.At<Vec3f>(y, x)[ch]));
                }
            }
        }
        foreach (var m in outputs.SelectMany(o => o))
        {
            m.Dispose();
        }

        float[] Weights(int start, int length, int imageLength) => BlendWeights.Axis(start, length, imageLength, overlap, scale);
    }

    [Fact]
    public void A_tile_out_of_turn_is_refused()
    {
        using var tile = new Mat(30, 30, MatType.CV_32FC3, Scalar.All(0.5f));
        var ones = Enumerable.Repeat(1f, 30).ToArray();
        using var band = new BandAccumulator(60, 6, (_, _, _) => { });
        // A left neighbour's share was never added at x = 24.
        Assert.Throws<InvalidOperationException>(() => band.Add(tile, 24, 0, ones, ones, new Neighbours(true, false, false, false)));
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
