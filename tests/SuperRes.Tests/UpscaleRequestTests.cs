using SuperRes.Imaging;
using SuperRes.Restoration;

namespace SuperRes.Tests;

/// <summary>The one set of rules for a request, which the CLI and the server both word with their own field names.</summary>
public class UpscaleRequestTests
{
    [Fact]
    public void A_well_formed_request_has_no_problems()
    {
        Assert.Empty(new UpscaleRequest().Validate());
        Assert.Empty(new UpscaleRequest { Scale = 8, Quality = 1, Format = ImageFormat.Avif, TileSize = 0 }.Validate());
        Assert.Empty(new UpscaleRequest { Scale = 3, Restore = Restore.Fixed(0.5) }.Validate());
        Assert.Empty(new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Restore = Restore.Fixed(0) }.Validate()); // 0 is the model itself
    }

    [Theory]
    [InlineData(1, 95, null, "scale")]
    [InlineData(9, 95, null, "scale")]
    [InlineData(3, 0, null, "quality")]
    [InlineData(3, 101, null, "quality")]
    [InlineData(3, 95, ImageFormat.Heic, "format")]
    [InlineData(3, 95, ImageFormat.Gif, "format")]
    public void Each_rule_names_its_field_first(int scale, int quality, ImageFormat? format, string field)
    {
        var problem = Assert.Single(new UpscaleRequest { Scale = scale, Quality = quality, Format = format }.Validate());
        Assert.Equal(field, problem.Field);
        Assert.StartsWith(field + " ", problem.Message);
    }

    [Fact]
    public void A_fixed_strength_needs_a_model_that_restores_at_that_scale()
    {
        var slim = Assert.Single(new UpscaleRequest { Model = "esrgan-slim", Scale = 2, Restore = Restore.Fixed(0.5) }.Validate());
        Assert.Equal("restore", slim.Field);
        Assert.Contains("not to esrgan-slim x2", slim.Message);
        foreach (int scale in RestoringPairs.Scales("superres-edsr"))
        {
            Assert.Empty(new UpscaleRequest { Scale = scale, Restore = Restore.Fixed(1) }.Validate());
        }
    }
}
