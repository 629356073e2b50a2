using NetVips;
using SuperRes.Imaging;

namespace SuperRes.Tests.Imaging;

/// <summary>libvips as SuperRes sets it up: a file only ever reaches the loader of the format its first bytes name.</summary>
public class VipsRuntimeTests
{
    private static readonly byte[] Svg = "<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'><rect width='8' height='8'/></svg>"u8.ToArray();
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"u8.ToArray();

    [Fact]
    public void Formats_superres_does_not_read_never_reach_a_libvips_loader()
    {
        _ = ImageMetadataReader.ReadHeader(File.ReadAllBytes(TestPaths.Set5Lr("bird", 3))); // libvips set up as SuperRes runs it
        foreach (var file in new[] { Svg, Pdf })
        {
            var e = Assert.Throws<InvalidImageException>(() => ImageMetadataReader.ReadHeader(file));
            Assert.Equal(InvalidImageReason.UnsupportedFormat, e.Reason);
        }
        // Behind that, libvips' core loaders SuperRes does not use are blocked (8.14 does not block those of its
        // modules, poppler or openslide: SuperRes never lets libvips guess a format, so they are never asked).
        Assert.Contains("blocked", Assert.Throws<VipsException>(() => Image.SvgloadBuffer(Svg)).Message);
        Assert.Equal(0, Cache.Max); // no decoded picture outlives its request in libvips' operation cache
    }
}
