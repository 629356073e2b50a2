using NetVips;

namespace SuperRes.Testing;

/// <summary>HEIC (what iPhones write) and AVIF files made in the test with libvips' writers (libheif: x265 and aom).</summary>
public static class PhonePhotos
{
    /// <summary>Set5's bird at x3 LR (96x96) as HEIC.</summary>
    public static byte[] Heic()
    {
        using var bird = Image.NewFromFile(TestPaths.Set5Lr("bird", 3));
        return bird.HeifsaveBuffer(q: 80, compression: Enums.ForeignHeifCompression.Hevc);
    }

    /// <summary>Set5's bird at x3 LR (96x96) as AVIF.</summary>
    public static byte[] Avif()
    {
        using var bird = Image.NewFromFile(TestPaths.Set5Lr("bird", 3));
        return bird.HeifsaveBuffer(q: 80, compression: Enums.ForeignHeifCompression.Av1, effort: 6);
    }
}
