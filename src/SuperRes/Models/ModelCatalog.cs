namespace SuperRes.Models;

/// <summary>The models that <c>superres models pull</c> can fetch, and the default one.</summary>
public static class ModelCatalog
{
    public const string DefaultModel = "superres-edsr";

    // Value range: UpscalerJS's JavaScript declares 0..255 for its RDN models (slim, medium), but they
    // score better on Set5 x3 fed 0..1 (slim 30.98 vs 30.84 dB, medium 31.14 vs 31.11 dB: ReLU conv
    // stacks are nearly scale-equivariant), and the published reference figures were measured that way.
    // Set5PsnrX3 and MacsPerPixelX3 are measured (the quality tests hold the PSNR figures to 0.05 dB).
    public static IReadOnlyList<CatalogEntry> Entries { get; } =
    [
        // Ours (training/, recipe in models/README.md): ships with the program, so the default needs no download.
        CatalogEntry.Own("superres-edsr", [2, 3, 4], 6_439_990,
            "SuperRes's own EDSR-style model (0.53 M parameters, distilled from CARN-M), trained by training/: sharper than esrgan-thick at a fourteenth of its cost; the default.")
            with { Set5PsnrX3 = 33.92, MacsPerPixelX3 = 531_441, RestoredBy = "superres-photo" },
        // Fine-tuned from superres-edsr on photos as people upload them (JPEG, noise, blur): the restoring end of
        // superres-edsr's restoration strength, and usable alone for damaged inputs.
        CatalogEntry.Own("superres-photo", [2, 3, 4], 6_439_971,
            "superres-edsr fine-tuned to repair JPEG artefacts, noise and softness while upscaling; superres-edsr's restore setting mixes the two.")
            with { MacsPerPixelX3 = 531_441 },
        new("esrgan-slim", "@upscalerjs/esrgan-slim", "1.0.0",
            "sha512-DXtwn5SE71+pZKluN/hGeLaZv6ZylyFQYSvMqU08kKCEA5Y9Q1cIIk4EvPTPZw8VqGi2C6F02c8OjhtId4BK2w==",
            [2, 3, 4, 8], "MIT", 4_357_056, "UpscalerJS ESRGAN slim (RDN): smallest and fastest, softest results.", 1f)
        { Set5PsnrX3 = 30.98, MacsPerPixelX3 = 232_129 },
        new("esrgan-medium", "@upscalerjs/esrgan-medium", "1.0.0",
            "sha512-Z8JnR87sgetPABKevasXST3FdnXhaoTu9zpXnu3KLaHYpYStVt0FD1VZS9c6jhSGMBC0H929gN9RbWl+MeisKA==",
            [2, 3, 4, 8], "MIT", 11_361_705, "UpscalerJS ESRGAN medium (RDN): a balance of speed and detail.", 1f)
        { Set5PsnrX3 = 31.13, MacsPerPixelX3 = 702_145 },
        new("esrgan-thick", "@upscalerjs/esrgan-thick", "1.0.0",
            "sha512-Xt7LAEa1WYVdU8teye1A2J3T2ylb3ihlU/x01x1ieM7zZh5FzTll6fwmeUC82mkztWloGZM65KdSEWOmhlXOdw==",
            [2, 3, 4, 8], "MIT", 110_294_929, "UpscalerJS ESRGAN thick (RRDB, 7.2 M parameters): best quality of the three.", 1f)
        { Set5PsnrX3 = 31.78, MacsPerPixelX3 = 7_243_353 },
    ];

    public static CatalogEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
