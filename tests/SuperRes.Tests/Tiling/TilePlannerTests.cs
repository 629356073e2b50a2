using SuperRes.Tiling;

namespace SuperRes.Tests.Tiling;

public class TilePlannerTests
{
    [Theory]
    [InlineData(100, 80, 0, 16)]
    [InlineData(100, 80, 200, 16)]
    [InlineData(1000, 700, 128, 16)]
    [InlineData(257, 129, 64, 8)]
    [InlineData(33, 500, 40, 16)]
    public void Cores_cover_the_image_exactly_once_and_regions_stay_inside(int width, int height, int tile, int overlap)
    {
        var plan = TilePlanner.Plan(width, height, tile, overlap);
        var covered = new int[height, width];
        foreach (var t in plan.Rows.SelectMany(r => r))
        {
            Assert.True(t.Region.X >= 0 && t.Region.Y >= 0 && t.Region.Right <= width && t.Region.Bottom <= height);
            Assert.True(t.Region.Contains(t.Core.TopLeft) && t.Region.Right >= t.Core.Right && t.Region.Bottom >= t.Core.Bottom);
            for (int y = t.Core.Top; y < t.Core.Bottom; y++)
            {
                for (int x = t.Core.Left; x < t.Core.Right; x++)
                {
                    covered[y, x]++;
                }
            }
        }
        Assert.All(covered.Cast<int>(), c => Assert.Equal(1, c));
    }

    [Theory]
    [InlineData(1000, 128, 16, 3)]
    [InlineData(257, 64, 8, 2)]
    [InlineData(300, 48, 16, 4)]
    public void Blend_weights_of_neighbouring_tiles_sum_to_one(int length, int tile, int overlap, int scale)
    {
        var plan = TilePlanner.Plan(length, 1, tile, overlap);
        var sum = new double[length * scale];
        foreach (var t in plan.Rows[0])
        {
            var w = BlendWeights.Axis(t.Region.X, t.Region.Width, length, overlap, scale);
            for (int i = 0; i < w.Length; i++)
            {
                sum[t.Region.X * scale + i] += w[i];
            }
        }
        Assert.All(sum, s => Assert.Equal(1.0, s, 5));
    }

    [Fact]
    public void Small_last_cells_are_avoided_by_balancing()
    {
        var plan = TilePlanner.Plan(130, 10, 64, 16);
        var widths = plan.Rows[0].Select(t => t.Core.Width).ToList();
        Assert.Equal(3, widths.Count);
        Assert.True(widths.Max() - widths.Min() <= 1);
    }
}
