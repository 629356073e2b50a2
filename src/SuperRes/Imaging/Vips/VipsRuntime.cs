using NetVips;

namespace SuperRes.Imaging.Vips;

/// <summary>
/// libvips set up once per process for untrusted input, as image servers do: every loader blocked but the few
/// SuperRes reads (so ImageMagick, PDF, SVG and the other parsers libvips links never see a client's bytes), no
/// operation cache (it would keep decoded pictures alive between requests), and one libvips worker thread (the
/// engines have the cores; decoding is a small share of a job).
/// </summary>
internal static class VipsRuntime
{
    private static readonly Lazy<bool> Ready = new(Initialise);

    /// <summary>Loaders that stay open. BMP has no loader of libvips' own in this version: ImageMagick's runs, but
    /// only on files whose first bytes say BMP (<see cref="ImageDecoder"/> checks), so only its BMP reader runs.</summary>
    private static readonly string[] Loaders =
    [
        "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadTiff", "VipsForeignLoadHeif",
        "VipsForeignLoadNsgif", "VipsForeignLoadMagickBuffer",
    ];

    public static void Ensure()
    {
        if (!Ready.Value)
        {
            throw new InvalidOperationException("libvips could not be initialised.");
        }
    }

    private static bool Initialise()
    {
        try
        {
            if (!NetVips.NetVips.Init())
            {
                return false;
            }
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                "libvips is not installed: SuperRes reads and writes images with it (Debian: apt-get install libvips42; scripts/setup installs it).", e);
        }
        catch (TypeInitializationException e) when (e.InnerException is DllNotFoundException)
        {
            throw new InvalidOperationException(
                "libvips is not installed: SuperRes reads and writes images with it (Debian: apt-get install libvips42; scripts/setup installs it).", e);
        }
        // Blocking walks the classes libvips has made so far: list every operation first, so that all are made.
        _ = NetVips.NetVips.GetOperations();
        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in Loaders)
        {
            Operation.Block(loader, false);
        }
        Operation.Block("VipsForeignSaveMagick", false); // writes BMP; a writer never parses a client's bytes
        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        NetVips.NetVips.Concurrency = 1;
        // libvips reports a damaged file's every tile as a warning on standard error; the caller gets one clear
        // error instead (InvalidImageException), so the warnings are not printed.
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning, (_, _, _) => { });
        return true;
    }

    /// <summary>"8.14.1": which libvips runs, for the README's facts and the service's logs.</summary>
    public static string Version
    {
        get
        {
            Ensure();
            return $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
        }
    }
}
