using OpenCvSharp;

namespace SuperRes.Cli.Tests;

public class UpscaleCommandTests
{
    [Fact]
    public async Task Batch_goes_on_past_bad_files_and_reports_them()
    {
        using var temp = new TempFolder();
        var input = Directory.CreateDirectory(temp.File("in")).FullName;
        File.Copy(TestPaths.Set5Lr("bird", 4), Path.Combine(input, "bird.png"));
        File.Copy(TestPaths.Set5Lr("head", 4), Path.Combine(input, "head.png"));
        await File.WriteAllBytesAsync(Path.Combine(input, "empty.png"), []);
        var truncated = await File.ReadAllBytesAsync(TestPaths.Set5Lr("woman", 4));
        await File.WriteAllBytesAsync(Path.Combine(input, "truncated.png"), truncated.AsSpan(0, truncated.Length / 2).ToArray());

        var run = await CliRun.Start(["upscale", input, "-o", temp.File("out"), "-s", "2", "-m", "esrgan-slim"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 succeeded, 2 failed", run.Stdout);
        Assert.Contains("The file is empty (0 bytes).", run.Stdout);
        Assert.Contains("corrupt or truncated", run.Stdout);
        foreach (var (name, side) in new[] { ("bird", 144), ("head", 140) })
        {
            using var output = TestImage.ReadColour(Path.Combine(temp.File("out"), name + ".png"));
            Assert.Equal(new Size(side, side), output.Size());
        }
        Assert.False(File.Exists(Path.Combine(temp.File("out"), "empty.png")));
    }

    [Fact]
    public async Task Single_file_to_a_named_output_takes_its_format_from_the_name()
    {
        using var temp = new TempFolder();
        var target = temp.File("bird_x3.jpg");
        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", target, "-s", "3", "--quality", "90"]);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("Model superres-edsr x3", run.Stderr);
        var bytes = await File.ReadAllBytesAsync(target);
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0xD8, bytes[1]);
        using var output = TestImage.Decode(bytes);
        Assert.Equal(new Size(216, 216), output.Size());
    }

    [Fact]
    public async Task Restoration_is_auto_by_default_and_each_line_says_what_was_chosen()
    {
        using var temp = new TempFolder();
        var input = Directory.CreateDirectory(temp.File("in")).FullName;
        using (var lr = TestImage.ReadColour(TestPaths.Set5Lr("butterfly", 3)))
        {
            File.WriteAllBytes(Path.Combine(input, "butterfly.jpg"), SuperRes.Quality.Degradation.Jpeg(lr, 45));
        }
        File.Copy(TestPaths.Set5Lr("bird", 3), Path.Combine(input, "bird.png"));
        var run = await CliRun.Start(["upscale", input, "-o", temp.File("out"), "-s", "3", "--format", "png"]);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("Model superres-edsr x3", run.Stderr);
        Assert.Contains(", restore auto (", run.Stderr);
        Assert.Matches(@"butterfly\.jpg -> .*\(255x255, restore \d\.\d \(auto: JPEG quality 45\), ", run.Stdout);
        Assert.Matches(@"bird\.png -> .*\(288x288, restore \d\.\d \(auto: noise \d+\.\d\), ", run.Stdout);
        Assert.Contains("restore: ", run.Stdout); // the summary counts the strengths chosen

        var fixedRun = await CliRun.Start(["upscale", Path.Combine(input, "bird.png"), "-o", temp.File("bird.png"), "--restore", "0.7"]);
        Assert.True(fixedRun.ExitCode == 0, fixedRun.Stderr);
        Assert.Contains(", restore 0.7 (", fixedRun.Stderr);
    }

    [Fact]
    public async Task Heic_and_avif_photos_upscale_heic_to_jpeg_and_avif_to_avif()
    {
        using var temp = new TempFolder();
        var input = Directory.CreateDirectory(temp.File("phone")).FullName;
        File.WriteAllBytes(Path.Combine(input, "IMG_0001.HEIC"), PhonePhotos.Heic());
        File.WriteAllBytes(Path.Combine(input, "bird.avif"), PhonePhotos.Avif());
        var run = await CliRun.Start(["upscale", input, "-o", temp.File("out"), "-s", "2", "--restore", "0"]);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("2 succeeded, 0 failed", run.Stdout);
        using var jpeg = TestImage.Read(Path.Combine(temp.File("out"), "IMG_0001.jpg"));
        Assert.Equal(new Size(192, 192), jpeg.Size());
        var avif = File.ReadAllBytes(Path.Combine(temp.File("out"), "bird.avif"));
        Assert.Equal(SuperRes.Imaging.ImageFormat.Avif, SuperRes.Imaging.ImageFormats.Detect(avif));
    }

    [Theory]
    [InlineData(new[] { "--restore", "2" }, "superres: --restore must be \"auto\" or a number from 0 (none) to 1 (full), not \"2\".")]
    [InlineData(new[] { "--restore", "0.5", "-m", "esrgan-slim", "-s", "2" }, "superres: --restore applies to models with a restoring pair (superres-edsr x2/x3/x4), not to esrgan-slim x2; leave it at auto (or 0) here.")]
    [InlineData(new[] { "--restore" }, "superres: Required argument missing for option: '--restore'.")]
    public async Task A_restoration_it_cannot_do_is_one_line_and_exit_code_2(string[] options, string message)
    {
        using var temp = new TempFolder();
        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.File("out.png"), .. options]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.StderrLines.Last());
    }

    [Theory]
    [InlineData("--format", "gif")]
    [InlineData("--quality", "0")]
    [InlineData("--scale", "-3")]
    [InlineData("--tile", "-1")]
    [InlineData("--channels", "xyz")]
    public async Task Bad_options_give_one_line_and_exit_code_2(string option, string value)
    {
        using var temp = new TempFolder();
        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.Path, option, value]);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.StartsWith("superres: ", run.Stderr);
    }

    [Fact]
    public async Task Missing_output_option_is_a_usage_error()
    {
        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains("--output", run.Stderr);
    }

    [Fact]
    public async Task Model_problems_give_one_line_and_exit_code_1()
    {
        using var temp = new TempFolder();
        var unknown = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.Path, "-m", "no-such-model"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("superres: Unknown model \"no-such-model\"; run 'superres models list' to see installed and pullable models, or pass the path of a .onnx or .pb file.", Assert.Single(unknown.StderrLines));

        var scale = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.Path, "-s", "5"]);
        Assert.Equal(1, scale.ExitCode);
        Assert.Contains("superres-edsr has no x5 model; it offers x2, x3, x4", Assert.Single(scale.StderrLines));
    }

    [Fact]
    public async Task The_default_model_needs_no_npm_and_no_download_on_first_run()
    {
        using var temp = new TempFolder();
        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.File("out.png")],
            new Dictionary<string, string> { ["PATH"] = temp.Path, ["SUPERRES_MODELS"] = temp.File("empty-store") });
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Model superres-edsr x3", run.Stderr);
        Assert.True(File.Exists(Path.Combine(temp.File("empty-store"), "superres-edsr", "x3.onnx")));
    }

    [Fact]
    public async Task Without_npm_the_first_run_of_an_npm_model_says_how_to_get_it()
    {
        using var temp = new TempFolder();
        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.File("out.png"), "-m", "esrgan-slim"],
            new Dictionary<string, string> { ["PATH"] = temp.Path, ["SUPERRES_MODELS"] = temp.File("empty-store") });
        Assert.Equal(1, run.ExitCode);
        var line = run.StderrLines[^1];
        Assert.StartsWith("superres: npm was not found on PATH, so @upscalerjs/esrgan-slim cannot be fetched; install Node.js and npm", line);
    }

    [Fact]
    public async Task Large_input_completes_in_bounded_memory()
    {
        // 4000x3000 at x3 = 12000x9000 output (324 MB of 8-bit pixels). Working memory must stay near that.
        using var temp = new TempFolder();
        using (var small = TestImage.ReadColour(TestPaths.Set5Lr("baby", 2)))
        using (var big = new Mat())
        {
            Cv2.Resize(small, big, new Size(4000, 3000), 0, 0, InterpolationFlags.Cubic);
            TestImage.Write(temp.File("big.jpg"), big);
        }
        var run = await CliRun.Start(["upscale", temp.File("big.jpg"), "-o", temp.File("big_x3.jpg"), "-m", TestPaths.Zoo("FSRCNN-small_x3.pb"), "--tile", "256"]);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var output = SuperRes.Imaging.ImageMetadataReader.ReadHeader(File.ReadAllBytes(temp.File("big_x3.jpg")));
        Assert.Equal((12000, 9000), (output.Width, output.Height));
        var peak = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Stdout, @"peak memory (\d+) MB").Groups[1].Value);
        Assert.True(peak < 1600, $"peak memory {peak} MB");
    }
}
