using OpenCvSharp;
using SuperRes.Quality;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Restoration;

public class JpegQualityTests
{
    [Fact]
    public void Every_quality_libjpeg_writes_is_read_back_exactly_from_the_tables()
    {
        using var image = TestData.Read(TestData.Set5Lr("bird", 3));
        for (int quality = 1; quality <= 100; quality++)
        {
            var estimate = JpegQuality.Read(Degradation.Jpeg(image, quality));
            Assert.NotNull(estimate);
            Assert.True(estimate.IsStandard, $"quality {quality}");
            // Below 8 the scaled tables clamp to 255 in many places; the nearest table is then one of a few equal ones.
            if (quality >= 8)
            {
                Assert.Equal(quality, estimate.Quality);
            }
        }
    }

    [Fact]
    public void A_grey_jpeg_with_only_a_luminance_table_is_read_too()
    {
        using var grey = TestData.Read(TestData.Set5Lr("bird", 3)).CvtColor(ColorConversionCodes.BGR2GRAY);
        Assert.Equal(1, grey.Channels());
        Assert.Equal(new JpegQuality(40, true), JpegQuality.Read(Degradation.Jpeg(grey, 40)));
    }

    [Fact]
    public void Tables_libjpeg_did_not_make_map_to_the_quality_of_their_overall_scale()
    {
        // A camera's table: libjpeg's at quality 85, then every entry nudged, so no quality matches exactly.
        var luminance = JpegQuality.Scaled(JpegQuality.StandardTable(0), 85).Select((v, i) => v + (i % 3 == 0 ? 1 : 0)).ToArray();
        var estimate = JpegQuality.Estimate(luminance);
        Assert.False(estimate.IsStandard);
        Assert.InRange(estimate.Quality, 82, 87);
        // Twice the size everywhere (a harder setting): lower quality.
        var harder = JpegQuality.Estimate(luminance.Select(v => v * 2 + 1).ToArray());
        Assert.InRange(harder.Quality, 60, 75);
    }

    [Fact]
    public void Other_formats_and_truncated_headers_have_no_jpeg_quality()
    {
        using var image = TestData.Read(TestData.Set5Lr("bird", 3));
        var png = TestImage.Encode(image, ".png");
        Assert.Null(JpegQuality.Read(png));
        var jpeg = Degradation.Jpeg(image, 60);
        Assert.Null(JpegQuality.Read(jpeg[..20])); // ends before the tables
        Assert.Null(JpegQuality.Read([]));
    }
}
