using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;
using Spectre.Console;
using SuperRes.Imaging;
using SuperRes.Quality;

namespace SuperRes.Cli.Commands.Bench;

/// <summary>
/// The SR literature's protocol on a folder of ground-truth images: crop to a multiple of the scale,
/// MATLAB bicubic downscale, upscale (with a model, or bicubic), PSNR and SSIM on Y with `scale` pixels shaved.
/// </summary>
public static class QualityBenchCommand
{
    public const string Bicubic = "bicubic";

    private static readonly Option<string> Dataset = new("--dataset") { Description = "Folder of high-resolution images (e.g. Set5).", Required = true };
    private static readonly Option<int> Scale = new("--scale", "-s") { Description = "Scale.", DefaultValueFactory = _ => 3 };
    private static readonly Option<string?> Model = new("--model", "-m") { Description = $"Model name or file, or \"{Bicubic}\" (default: the default model)." };
    private static readonly Option<int?> Tile = new("--tile") { Description = "Tile size (default 128; 0 = whole image)." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the results as JSON." };

    public static Command Create()
    {
        var command = new Command("quality", "PSNR and SSIM on Y (BT.601) under the SR protocol.")
        {
            Dataset, Scale, Model, Tile, Json, SharedOptions.Ensemble, SharedOptions.Engine, SharedOptions.Precision, SharedOptions.Engines, SharedOptions.Threads, SharedOptions.ModelsDir,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult r, CancellationToken ct)
    {
        var dataset = r.GetValue(Dataset)!;
        if (!Directory.Exists(dataset))
        {
            throw new DirectoryNotFoundException($"The dataset folder {dataset} does not exist.");
        }
        var files = Directory.GetFiles(dataset).Where(ImageFormats.IsImageFile).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new ArgumentException($"{dataset} holds no images.");
        }
        int scale = r.GetValue(Scale);
        var model = r.GetValue(Model);
        bool bicubic = string.Equals(model, Bicubic, StringComparison.OrdinalIgnoreCase);
        using var upscaler = new Upscaler(r.ToUpscalerOptions(r.GetValue(Tile))) { InstallProgress = new InstallProgressPrinter() };
        string name = bicubic ? Bicubic : (await upscaler.LoadAsync(model, scale, null, ct)).Model.Name + (r.GetValue(SharedOptions.Ensemble) ? "+ensemble" : "");

        var rows = new List<Row>();
        foreach (var file in files)
        {
            using var hr = ReadAs8Bit(file);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            var sw = Stopwatch.StartNew();
            using var sr = bicubic ? MatlabResize.Resize(lr, scale) : await Upscale(upscaler, lr, model, scale, r.GetValue(SharedOptions.Ensemble), ct);
            double seconds = sw.Elapsed.TotalSeconds;
            var (psnr, ssim) = SrProtocol.Score(cropped, sr, scale);
            rows.Add(new Row(Path.GetFileNameWithoutExtension(file), psnr, ssim, seconds));
            Console.Error.WriteLine($"  {rows[^1].Image}: {psnr:0.00} dB");
        }
        var report = new Report(name, scale, Path.GetFileName(Path.GetFullPath(dataset).TrimEnd('/')), rows,
            rows.Average(x => x.Psnr), rows.Average(x => x.Ssim), rows.Average(x => x.Seconds));
        if (r.GetValue(Json))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return 0;
        }
        var table = new Table().Title($"{Markup.Escape(report.Model)} x{scale} on {Markup.Escape(report.Dataset)}")
            .AddColumn("image").AddColumn(new TableColumn("PSNR dB").RightAligned()).AddColumn(new TableColumn("SSIM").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Image), $"{row.Psnr:0.00}", $"{row.Ssim:0.0000}", $"{row.Seconds:0.00}");
        }
        table.AddRow("[bold]mean[/]", $"[bold]{report.MeanPsnr:0.00}[/]", $"[bold]{report.MeanSsim:0.0000}[/]", $"{report.MeanSeconds:0.00}");
        AnsiConsole.Write(table);
        return 0;
    }

    private static async Task<Mat> Upscale(Upscaler upscaler, Mat lr, string? model, int scale, bool ensemble, CancellationToken ct)
    {
        Cv2.ImEncode(".png", lr, out var png);
        var result = await upscaler.UpscaleAsync(png, new UpscaleRequest { Model = model, Scale = scale, Format = ImageFormat.Png, Ensemble = ensemble }, null, ct);
        return Cv2.ImDecode(result.Data, ImreadModes.Unchanged);
    }

    // The protocol works on 8-bit pictures: grey stays grey, alpha is dropped, 16 bits are rounded.
    private static Mat ReadAs8Bit(string file)
    {
        var raw = Cv2.ImRead(file, ImreadModes.Unchanged);
        if (raw.Empty())
        {
            raw.Dispose();
            throw new InvalidImageException($"{file} could not be read as an image.");
        }
        if (raw.Channels() == 4)
        {
            Cv2.CvtColor(raw, raw, ColorConversionCodes.BGRA2BGR);
        }
        if (raw.Depth() != MatType.CV_8U)
        {
            raw.ConvertTo(raw, MatType.MakeType(MatType.CV_8U, raw.Channels()), raw.Depth() == MatType.CV_16U ? 1.0 / 257 : 255);
        }
        return raw;
    }

    private sealed record Row(string Image, double Psnr, double Ssim, double Seconds);

    private sealed record Report(string Model, int Scale, string Dataset, List<Row> Images, double MeanPsnr, double MeanSsim, double MeanSeconds);
}
