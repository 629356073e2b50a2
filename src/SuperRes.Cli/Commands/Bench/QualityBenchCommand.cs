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
    private static readonly Option<int?> Tile = new("--tile") { Description = "Tile size (default 256 on ONNX Runtime, 128 on OpenCV DNN; 0 = whole image)." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the results as JSON." };
    private static readonly Option<string?> Degrade = new("--degrade")
    {
        Description = "Damage each LR before upscaling, as photos get it, in order: jpeg:Q, noise:SIGMA, blur:SIGMA (e.g. noise:5,jpeg:85); seeded, the same every run.",
    };

    public static Command Create()
    {
        var command = new Command("quality", "PSNR and SSIM on Y (BT.601) under the SR protocol.")
        {
            Dataset, Scale, Model, Tile, Json, Degrade, SharedOptions.Restore, SharedOptions.Ensemble, SharedOptions.Engine, SharedOptions.Precision, SharedOptions.Engines, SharedOptions.Threads, SharedOptions.ModelsDir,
        };
        command.ValidateRestore();
        command.AddCheck(r =>
        {
            try
            {
                _ = r.GetValue(Degrade) is { } spec ? Degradation.Parse(spec) : null;
            }
            catch (ArgumentException e)
            {
                r.AddError($"--degrade {e.Message}");
            }
        });
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
        var degradation = r.GetValue(Degrade) is { } spec ? Degradation.Parse(spec) : null;
        var request = new UpscaleRequest { Model = model, Scale = scale, Format = ImageFormat.Png, Ensemble = r.GetValue(SharedOptions.Ensemble), Restore = r.GetRestore() };

        var rows = new List<Row>();
        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            using var hr = ReadAs8Bit(file);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            // The input file as a user would have it: the protocol's LR, damaged (seeded by the image's place in the set).
            byte[] input = degradation?.Apply(lr, seed: index) ?? Png(lr);
            var sw = Stopwatch.StartNew();
            Mat sr;
            string? restore = null;
            if (bicubic)
            {
                using var damaged = ImageFiles.Decode(input);
                sr = MatlabResize.Resize(damaged, scale);
            }
            else
            {
                var result = await upscaler.UpscaleAsync(input, request, null, ct);
                sr = ImageFiles.Decode(result.Data);
                restore = result.Restore?.ToString();
            }
            double seconds = sw.Elapsed.TotalSeconds;
            var (psnr, ssim) = SrProtocol.Score(cropped, sr, scale);
            sr.Dispose();
            rows.Add(new Row(Path.GetFileNameWithoutExtension(file), psnr, ssim, seconds, restore));
            Console.Error.WriteLine($"  {rows[^1].Image}: {psnr:0.00} dB{(restore is null ? "" : $", restore {restore}")}");
        }
        var report = new Report(name, scale, Path.GetFileName(Path.GetFullPath(dataset).TrimEnd('/')), rows,
            rows.Average(x => x.Psnr), rows.Average(x => x.Ssim), rows.Average(x => x.Seconds))
        {
            Degrade = degradation?.Spec,
            Restore = bicubic ? null : request.Restore.ToString(),
        };
        if (r.GetValue(Json))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return 0;
        }
        string title = $"{report.Model} x{scale} on {report.Dataset}" + (report.Degrade is { } d ? $", degraded {d}" : "")
            + (report.Restore is { } rs && rows.Any(x => x.Restore is not null) ? $", restore {rs}" : "");
        var table = new Table().Title(Markup.Escape(title))
            .AddColumn("image").AddColumn(new TableColumn("PSNR dB").RightAligned()).AddColumn(new TableColumn("SSIM").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
        bool showRestore = rows.Any(x => x.Restore is not null);
        if (showRestore)
        {
            table.AddColumn("restore");
        }
        foreach (var row in rows)
        {
            string[] cells = [Markup.Escape(row.Image), $"{row.Psnr:0.00}", $"{row.Ssim:0.0000}", $"{row.Seconds:0.00}"];
            table.AddRow(showRestore ? [.. cells, Markup.Escape(row.Restore ?? "")] : cells);
        }
        string[] mean = ["[bold]mean[/]", $"[bold]{report.MeanPsnr:0.00}[/]", $"[bold]{report.MeanSsim:0.0000}[/]", $"{report.MeanSeconds:0.00}"];
        table.AddRow(showRestore ? [.. mean, ""] : mean);
        AnsiConsole.Write(table);
        return 0;
    }

    private static byte[] Png(Mat image) => ImageFiles.Encode(image, ImageFormat.Png);

    // The protocol works on 8-bit pictures: grey stays grey, alpha is dropped, 16 bits are rounded.
    private static Mat ReadAs8Bit(string file)
    {
        var raw = ImageFiles.Read(file);
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

    /// <param name="Restore">The restoration strength the model ran at and why; null where it does not apply.</param>
    private sealed record Row(string Image, double Psnr, double Ssim, double Seconds, string? Restore);

    private sealed record Report(string Model, int Scale, string Dataset, List<Row> Images, double MeanPsnr, double MeanSsim, double MeanSeconds)
    {
        /// <summary>The damage done to every LR first (--degrade), or null for the clean protocol.</summary>
        public string? Degrade { get; init; }

        /// <summary>What --restore asked for: auto or a strength; null for bicubic.</summary>
        public string? Restore { get; init; }
    }
}
