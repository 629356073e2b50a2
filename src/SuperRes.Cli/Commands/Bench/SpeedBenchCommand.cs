using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using SuperRes.Models;
using SuperRes.Models.Onnx;

namespace SuperRes.Cli.Commands.Bench;

/// <summary>
/// Model load time, whole-pipeline latency per input size (median and p95 after a warm-up) with its output megapixels
/// per second, the engine's time within it and the share outside it (decode and encode timed alone), next to the bare
/// engine call, throughput at each concurrency, peak memory and effective GFLOP/s (graph multiply-adds x 2 /
/// seconds; above the FMA peak where a runtime uses Winograd convolutions, which do fewer multiplications).
/// </summary>
public static class SpeedBenchCommand
{
    private static readonly Option<string?> Model = new("--model", "-m") { Description = "Model name or file (default: the default model)." };
    private static readonly Option<int?> Scale = new("--scale", "-s") { Description = "Scale (default 3 or the file's own)." };
    private static readonly Option<string> Sizes = new("--sizes") { Description = "Square input sizes, comma-separated.", DefaultValueFactory = _ => "96,170,256,512" };
    private static readonly Option<string> Concurrency = new("--concurrency") { Description = "Concurrent images for the throughput runs.", DefaultValueFactory = _ => "1,2,4" };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "Timed runs per size after one warm-up.", DefaultValueFactory = _ => 5 };
    private static readonly Option<int?> Tile = new("--tile") { Description = "Tile size (default 256 on ONNX Runtime, 128 on OpenCV DNN; 0 = whole image)." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the results as JSON." };

    public static Command Create()
    {
        var command = new Command("speed", "Time a model through the whole pipeline (decode, tiles, engine, encode).")
        {
            Model, Scale, Sizes, Concurrency, Repeats, Tile, Json, SharedOptions.Ensemble, SharedOptions.Engine, SharedOptions.Precision, SharedOptions.Engines, SharedOptions.Threads, SharedOptions.ModelsDir,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult r, CancellationToken ct)
    {
        var sizes = ParseList(r.GetValue(Sizes)!, "--sizes");
        var concurrency = ParseList(r.GetValue(Concurrency)!, "--concurrency");
        int repeats = Math.Max(1, r.GetValue(Repeats));
        using var upscaler = new Upscaler(r.ToUpscalerOptions(r.GetValue(Tile))) { InstallProgress = new InstallProgressPrinter() };

        var sw = Stopwatch.StartNew();
        var loaded = await upscaler.LoadAsync(r.GetValue(Model), r.GetValue(Scale), null, ct);
        var loadSeconds = sw.Elapsed.TotalSeconds;
        long? macs = loaded.Model.Kind == ModelKind.Onnx ? OnnxCost.MacsPerInputPixel(loaded.Model.FilePath) : null;
        // Restoration off: the synthetic picture's noise would otherwise pick a mixed model other than the one loaded.
        var request = new UpscaleRequest
        {
            Model = r.GetValue(Model),
            Scale = loaded.Model.Scale,
            Ensemble = r.GetValue(SharedOptions.Ensemble),
            Restore = Restoration.Restore.Fixed(0),
        };

        var latencies = new List<LatencyRow>();
        double? firstCall = null;
        foreach (var size in sizes)
        {
            var png = SyntheticImage.Png(size, size);
            sw.Restart();
            await upscaler.UpscaleAsync(png, request, null, ct); // warm-up: the first call also initialises the runtime
            firstCall ??= sw.Elapsed.TotalSeconds;
            var times = new List<double>();
            var busyBefore = loaded.Pool.BusyTime;
            byte[] output = [];
            for (int i = 0; i < repeats; i++)
            {
                sw.Restart();
                output = (await upscaler.UpscaleAsync(png, request, null, ct)).Data;
                times.Add(sw.Elapsed.TotalSeconds);
            }
            // Engine time inside those runs (per run, and per engine when several share one image's tiles).
            double engineInPipeline = (loaded.Pool.BusyTime - busyBefore).TotalSeconds / repeats / upscaler.Options.EffectivePoolSize;
            var stages = PipelineStages.Measure(png, output, repeats);
            times.Sort();
            double median = times[times.Count / 2], p95 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)];
            double? gflops = macs is { } m ? 2.0 * m * size * size / median / 1e9 : null;
            double mean = times.Average(), outputMegapixels = (double)size * size * loaded.Model.Scale * loaded.Model.Scale / 1e6;
            latencies.Add(new LatencyRow(size, median, p95, 0, gflops)
            {
                OutputMegapixelsPerSecond = outputMegapixels / median,
                EngineSeconds = engineInPipeline,
                OutsideEngineShare = Math.Max(0, 1 - engineInPipeline / mean),
                DecodeSeconds = stages.Decode,
                EncodeSeconds = stages.Encode,
            });
            Console.Error.WriteLine($"  {size}x{size}: median {median:0.000} s");
        }

        var throughput = new List<ThroughputRow>();
        var throughputPng = SyntheticImage.Png(sizes[0], sizes[0]);
        foreach (var c in concurrency)
        {
            int images = Math.Max(4, 2 * c);
            sw.Restart();
            await Parallel.ForEachAsync(Enumerable.Range(0, images), new ParallelOptions { MaxDegreeOfParallelism = c, CancellationToken = ct },
                async (_, token) => await upscaler.UpscaleAsync(throughputPng, request, null, token));
            throughput.Add(new ThroughputRow(c, images / sw.Elapsed.TotalSeconds));
        }

        long pipelinePeak = Process.GetCurrentProcess().PeakWorkingSet64;

        // Last, as their memory is the runtime's for a whole picture, not the pipeline's: each input straight through
        // one engine call, the runtime's own time without our pipeline. Each call is paired with a pipeline run just
        // before it and the ratio is the median of the pairs' ratios: this machine's speed drifts by tens of percent
        // within a minute, so two medians taken a minute apart would compare the drift, not the pipeline. Each timed
        // run follows an untimed one of its own kind: the first run after the other kind pays for the runtime's
        // switch between the whole picture's shape and the tiles' (tens of percent at 256²).
        for (int i = 0; i < sizes.Count; i++)
        {
            var png = SyntheticImage.Png(sizes[i], sizes[i]);
            using var decoded = SuperRes.Imaging.ImageDecoder.Decode(png);
            using var whole = decoded.UnitFloat(new OpenCvSharp.Rect(0, 0, decoded.Width, decoded.Height));
            var raw = new List<double>();
            var ratios = new List<double>();
            for (int k = 0; k < repeats; k++)
            {
                await upscaler.UpscaleAsync(png, request, null, ct);
                sw.Restart();
                await upscaler.UpscaleAsync(png, request, null, ct);
                double pipeline = sw.Elapsed.TotalSeconds;
                (await loaded.Pool.RunAsync(engine => engine.Run(whole), ct)).Dispose();
                sw.Restart();
                (await loaded.Pool.RunAsync(engine => engine.Run(whole), ct)).Dispose();
                raw.Add(sw.Elapsed.TotalSeconds);
                ratios.Add(pipeline / raw[^1]);
            }
            raw.Sort();
            ratios.Sort();
            latencies[i] = latencies[i] with { EngineCallSeconds = raw[raw.Count / 2], PipelineOverEngineCall = ratios[ratios.Count / 2] };
        }

        var report = new SpeedReport(loaded.Model.Name, loaded.Model.Scale, loaded.Engine.ToString(), upscaler.Options.EffectivePoolSize,
            upscaler.Options.ThreadsPerEngine, loadSeconds, firstCall!.Value, macs, latencies, sizes[0], throughput,
            pipelinePeak / (1024 * 1024))
        {
            EngineCallPeakMemoryMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
            Precision = loaded.Model.Precision.ToString().ToLowerInvariant(),
        };
        if (r.GetValue(Json))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        }
        else
        {
            Print(report);
        }
        return 0;
    }

    private static void Print(SpeedReport s)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(s.Model)}[/] x{s.Scale} on {s.Engine}, {s.Precision} ({s.Engines} engine(s) x {s.ThreadsPerEngine} thread(s), CPU {s.Cpu}); " +
            $"load {s.LoadSeconds:0.000} s; first call ({s.Latency[0].Size}x{s.Latency[0].Size}) {s.FirstCallSeconds:0.000} s; {(s.MacsPerInputPixel is { } m ? $"{m / 1e6:0.00} M multiply-adds per input pixel; " : "")}peak memory {s.PeakMemoryMb} MB ({s.EngineCallPeakMemoryMb} MB with the whole-picture engine calls)");
        var t = new Table().AddColumn("input").AddColumn(new TableColumn("median s").RightAligned()).AddColumn(new TableColumn("p95 s").RightAligned())
            .AddColumn(new TableColumn("output MP/s").RightAligned()).AddColumn(new TableColumn("engine s").RightAligned())
            .AddColumn(new TableColumn("outside engine").RightAligned()).AddColumn(new TableColumn("decode s").RightAligned())
            .AddColumn(new TableColumn("encode s").RightAligned()).AddColumn(new TableColumn("one engine call s").RightAligned())
            .AddColumn(new TableColumn("run ÷ one call").RightAligned())
            .AddColumn(new TableColumn("GFLOP/s").RightAligned());
        foreach (var l in s.Latency)
        {
            t.AddRow($"{l.Size}x{l.Size}", $"{l.MedianSeconds:0.000}", $"{l.P95Seconds:0.000}", $"{l.OutputMegapixelsPerSecond:0.00}",
                $"{l.EngineSeconds:0.000}", $"{l.OutsideEngineShare:0%}", $"{l.DecodeSeconds:0.000}", $"{l.EncodeSeconds:0.000}",
                $"{l.EngineCallSeconds:0.000}", $"{l.PipelineOverEngineCall:0.00}x", l.GigaflopsPerSecond is { } g ? $"{g:0.0}" : "n/a");
        }
        AnsiConsole.Write(t);
        var tp = new Table().AddColumn("concurrency").AddColumn(new TableColumn($"images/s ({s.ThroughputSize}x{s.ThroughputSize})").RightAligned());
        foreach (var x in s.Throughput)
        {
            tp.AddRow(x.Concurrency.ToString(), $"{x.ImagesPerSecond:0.00}");
        }
        AnsiConsole.Write(tp);
    }

    private static List<int> ParseList(string text, string option)
    {
        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            values.Add(int.TryParse(part, out var v) && v > 0 ? v : throw new ArgumentException($"{option} takes positive whole numbers separated by commas, not \"{text}\"."));
        }
        return values.Count > 0 ? values : throw new ArgumentException($"{option} needs at least one value.");
    }

    private sealed record LatencyRow(int Size, double MedianSeconds, double P95Seconds, double EngineCallSeconds, double? GigaflopsPerSecond)
    {
        /// <summary>A pipeline run against one engine call on the whole picture: the median ratio of back-to-back pairs.</summary>
        public double PipelineOverEngineCall { get; init; }

        public double OutputMegapixelsPerSecond { get; init; }

        /// <summary>Engine time within one pipeline run (tiles, and the ensemble's orientations).</summary>
        public double EngineSeconds { get; init; }

        /// <summary>Share of the pipeline's time spent outside the engine: decoding, tiling, blending, encoding, copies.</summary>
        public double OutsideEngineShare { get; init; }

        public double DecodeSeconds { get; init; }

        public double EncodeSeconds { get; init; }
    }

    private sealed record ThroughputRow(int Concurrency, double ImagesPerSecond);

    private sealed record SpeedReport(string Model, int Scale, string Engine, int Engines, int ThreadsPerEngine, double LoadSeconds, double FirstCallSeconds,
        long? MacsPerInputPixel, List<LatencyRow> Latency, int ThroughputSize, List<ThroughputRow> Throughput, long PeakMemoryMb)
    {
        /// <summary>The vector instructions of the CPU the figures came from.</summary>
        public string Cpu { get; init; } = SuperRes.Inference.CpuFeatures.Summary;

        /// <summary>The arithmetic the engine runs in: fp32 or int8.</summary>
        public required string Precision { get; init; }

        /// <summary>Peak memory once the whole-picture engine calls ran too (<see cref="PeakMemoryMb"/> is the pipeline's, before them).</summary>
        public long EngineCallPeakMemoryMb { get; init; }
    }
}
