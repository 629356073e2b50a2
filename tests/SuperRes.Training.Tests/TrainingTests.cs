using System.Globalization;
using System.Text.RegularExpressions;

namespace SuperRes.Training.Tests;

public class TrainingTests
{
    [Fact]
    public async Task A_tiny_run_lowers_the_loss_and_a_resumed_run_continues_from_the_saved_step()
    {
        using var folder = new TempFolder();
        var checkpoints = folder.File("run");
        var first = await TrainingRun.RunAsync(TrainingRun.TinyTrainArgs(checkpoints, 40, folder.File("cache")));
        Assert.Contains("steps/s", first.Stdout);
        Assert.Contains("val PSNR", first.Stdout);

        var resumed = await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(checkpoints, 60, folder.File("cache")), "--resume"]);
        Assert.Contains("at step 40", resumed.Stdout);
        Assert.DoesNotContain("step 5/", resumed.Stdout); // it did not start over

        var rows = TrainingRun.ReadProgress(checkpoints);
        var steps = rows.Select(r => int.Parse(r["step"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(steps.Order().Distinct(), steps); // one row per logged step across both runs, in order
        Assert.Equal(60, steps[^1]);
        double Loss(int i) => double.Parse(rows[i]["loss"], CultureInfo.InvariantCulture);
        double early = (Loss(0) + Loss(1)) / 2, late = (Loss(rows.Count - 1) + Loss(rows.Count - 2)) / 2;
        Assert.True(late < early * 0.7, $"loss fell from {early:0.0000} to {late:0.0000}");
        Assert.Contains(rows, r => r["val_psnr"].Length > 0);

        var plot = File.ReadAllBytes(Path.Combine(checkpoints, "progress.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, plot[..4]);

        // Runs get committed (training/runs/): their summary names the run, never this machine's folders.
        var summary = File.ReadAllText(Path.Combine(checkpoints, "summary.json"));
        Assert.Contains("\"checkpoint_dir\": \"run\"", summary);
        Assert.DoesNotContain(folder.Path, summary);
    }

    [Fact]
    public async Task A_deeper_model_grown_from_a_shallower_one_starts_from_its_pictures_and_trains_on()
    {
        using var folder = new TempFolder();
        var (_, shallow, ended) = await TrainTinyEdsrAsync(folder);

        // Two added blocks start as identities: the same validation PSNR to the last digit, then it trains on.
        var deep = folder.File("deep");
        string[] grow = [.. TrainingRun.TinyTrainArgs(deep, 10, folder.File("cache")), "--blocks", "4", "--init", shallow];
        var grown = await TrainingRun.RunAsync(grow);
        Assert.Contains("growing 2 blocks to 4", grown.Stdout);
        Assert.Contains($"starting val PSNR {ended} dB", grown.Stdout);
        Assert.Contains("step 10/10", grown.Stdout);
    }

    [Fact]
    public async Task A_plain_model_starts_a_reparameterised_run_at_its_own_pictures_and_trains_on()
    {
        using var folder = new TempFolder();
        var (first, plain, ended) = await TrainTinyEdsrAsync(folder);

        // The added branches add nothing at the start, so the merged kernels are the plain ones: the same validation PSNR to
        // the last digit. Then the branches train with the rest.
        var rep = folder.File("rep");
        string[] init = [.. TrainingRun.TinyTrainArgs(rep, 20, folder.File("cache"), "edsr-rep"), "--init", plain];
        var run = await TrainingRun.RunAsync(init);
        Assert.Contains($"starting val PSNR {ended} dB", run.Stdout);
        Assert.Contains("step 20/20", run.Stdout);
        Assert.Matches(@"edsr-rep 2x16 x3: [0-9,]+ parameters, (\d+) K multiply-adds", run.Stdout);
        string Macs(CliRun r) => Regex.Match(r.Stdout, @"(\d+) K multiply-adds").Groups[1].Value;
        Assert.Equal(Macs(first), Macs(run)); // what it costs at inference is the plain model's
    }

    [Theory]
    [InlineData("edsr")]
    [InlineData("edsr-rep")]
    public async Task A_run_continues_from_an_exported_onnx_file_at_its_own_pictures(string arch)
    {
        // Checkpoints stay out of git: what ships is the ONNX file, so a run must start from it exactly (its DCR
        // upsampler put back in PyTorch's order, a merged re-parameterised model as the plain branch of each conv).
        using var folder = new TempFolder();
        var (_, checkpoint, ended) = await TrainTinyEdsrAsync(folder);
        var onnx = folder.File("tiny-x3.onnx");
        await TrainingRun.RunAsync("export", checkpoint, "-o", onnx);
        var run = await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(folder.File("from-onnx"), 10, folder.File("cache"), arch), "--init", onnx]);
        Assert.Contains("initialised", run.Stdout);
        Assert.Contains($"starting val PSNR {ended} dB", run.Stdout);
        Assert.Contains("step 10/10", run.Stdout);
        Assert.Contains("\"init\": \"", File.ReadAllText(Path.Combine(folder.File("from-onnx"), "summary.json")));
    }

    /// <summary>The tiny plain EDSR the tests above start from: its run, its last checkpoint and its last validation PSNR.</summary>
    private static async Task<(CliRun Run, string Checkpoint, string EndedPsnr)> TrainTinyEdsrAsync(TempFolder folder)
    {
        var checkpoints = folder.File("plain");
        var run = await TrainingRun.RunAsync(TrainingRun.TinyTrainArgs(checkpoints, 20, folder.File("cache")));
        string ended = Regex.Match(run.Stdout, @"step 20/20 .*val PSNR ([0-9.]+) dB").Groups[1].Value;
        return (run, Path.Combine(checkpoints, "last.pt"), ended);
    }

    [Fact]
    public async Task A_body_from_another_scale_can_start_with_this_scales_trained_upsampler()
    {
        using var folder = new TempFolder();
        string cache = folder.File("cache");
        var x3 = folder.File("x3");
        var x2 = folder.File("x2");
        await TrainingRun.RunAsync(TrainingRun.TinyTrainArgs(x3, 20, cache));
        await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(x2, 20, cache), "--scale", "2"]);
        string[] x2FromX3Body(string run) => [.. TrainingRun.TinyTrainArgs(folder.File(run), 5, cache), "--scale", "2", "--init", Path.Combine(x3, "last.pt")];
        static string StartingPsnr(CliRun run) => Regex.Match(run.Stdout, @"starting val PSNR ([0-9.]+) dB").Groups[1].Value;

        // The x3 body with a fresh upsampler, then with the x2 run's: the same seed, so only the upsampler differs.
        var fresh = await TrainingRun.RunAsync(x2FromX3Body("fresh"));
        var trained = await TrainingRun.RunAsync([.. x2FromX3Body("trained"), "--init-upsampler", Path.Combine(x2, "last.pt")]);
        Assert.Matches(@"upsampler: \d+ tensors from", trained.Stdout);
        Assert.NotEqual("", StartingPsnr(trained));
        Assert.NotEqual(StartingPsnr(fresh), StartingPsnr(trained));
        // The summary names the upsampler's run, as it names --init's, never this machine's folders.
        var summary = File.ReadAllText(Path.Combine(folder.File("trained"), "summary.json"));
        Assert.Contains("\"init_upsampler\": \"x2/last.pt\"", summary);
        Assert.DoesNotContain(folder.Path, summary);

        // An upsampler of another scale does not fit: one line says so, and nothing trains.
        var wrong = await TrainingRun.TryRunAsync([.. x2FromX3Body("wrong"), "--init-upsampler", Path.Combine(x3, "last.pt")]);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("has no upsampler of this model's shape", wrong.Stderr);
        Assert.DoesNotContain("step 5/5", wrong.Stdout);
        var alone = await TrainingRun.TryRunAsync([.. TrainingRun.TinyTrainArgs(folder.File("alone"), 5, cache), "--scale", "2", "--init-upsampler", Path.Combine(x2, "last.pt")]);
        Assert.NotEqual(0, alone.ExitCode);
        Assert.Contains("--init-upsampler goes with --init", alone.Stderr);
    }

    [Fact]
    public async Task The_l2_loss_is_the_mean_squared_error_of_the_same_first_batch()
    {
        // One step from the same seed: the same starting weights and the same first batch, so the first logged
        // losses are the same errors e (all below 1 in size) measured two ways: mean(|e|)^2 <= mean(e^2) < mean(|e|).
        using var folder = new TempFolder();
        string cache = folder.File("cache");
        double FirstLoss(string run) => double.Parse(TrainingRun.ReadProgress(folder.File(run))[0]["loss"], CultureInfo.InvariantCulture);
        await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(folder.File("l1"), 1, cache), "--log-every", "1"]);
        await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(folder.File("l2"), 1, cache), "--log-every", "1", "--loss", "l2"]);
        double l1 = FirstLoss("l1"), l2 = FirstLoss("l2");
        Assert.InRange(l2, l1 * l1, l1 * 0.999);
        Assert.Contains("\"loss\": \"l2\"", File.ReadAllText(Path.Combine(folder.File("l2"), "summary.json")));
    }

    [Fact]
    public async Task Keep_flat_sets_how_many_patches_below_min_detail_the_model_sees()
    {
        // The same 80 patches' worth of draws, once keeping every patch (what the photos hold: mostly flat) and
        // once keeping no flat patch: the share that reached --min-detail must move from the photos' share to
        // nearly all (a patch is still taken after 30 flat draws in a row, so not always all).
        using var folder = new TempFolder();
        string cache = folder.File("cache");
        async Task<double> DetailedShare(string run, string keepFlat)
        {
            await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(folder.File(run), 10, cache), "--min-detail", "3", "--keep-flat", keepFlat]);
            var summary = File.ReadAllText(Path.Combine(folder.File(run), "summary.json"));
            var share = Regex.Match(summary, "\"detailed_patch_share\": ([0-9.]+)");
            Assert.True(share.Success, summary);
            return double.Parse(share.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        double all = await DetailedShare("all", "1"), detailed = await DetailedShare("detailed", "0");
        Assert.InRange(all, 0.0, 0.5);
        Assert.InRange(detailed, 0.9, 1.0);
    }
}
