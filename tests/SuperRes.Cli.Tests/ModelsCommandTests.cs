namespace SuperRes.Cli.Tests;

public class ModelsCommandTests
{
    [Fact]
    public async Task List_shows_installed_and_pullable_models()
    {
        var run = await CliRun.Start(["models", "list"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("esrgan-thick", run.Stdout);
        Assert.Contains("esrgan-slim", run.Stdout);
        Assert.Contains("x2, x3, x4, x8", run.Stdout);
        Assert.Contains("110.3 MB", run.Stdout);
        Assert.Contains("superres-edsr", run.Stdout);
        Assert.Contains("bundled", run.Stdout);
        Assert.Contains("31.78", run.Stdout); // esrgan-thick's measured Set5 x3 PSNR
        Assert.Contains("7.24", run.Stdout);  // and its millions of multiply-adds per pixel
    }

    [Fact]
    public async Task Imported_zoo_model_is_listed_and_usable_by_name()
    {
        using var temp = new TempFolder();
        var env = new Dictionary<string, string> { ["SUPERRES_MODELS"] = temp.File("store") };
        var import = await CliRun.Start(["models", "import", TestPaths.Zoo("ESPCN_x2.pb")], env);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("Imported espcn (Onnx), scales x2", import.Stdout); // converted from TensorFlow
        // auto's runtime was timed at import and kept with the model, for the thread count a run will use
        Assert.Matches(@"engine: x2 (OnnxRuntime|OpenCvDnn)", import.Stdout);
        var choice = File.ReadAllText(Path.Combine(temp.File("store"), "espcn", "x2.onnx.engine"));
        Assert.StartsWith($"{Environment.ProcessorCount}=", choice);

        var list = await CliRun.Start(["models", "list"], env);
        Assert.Contains("espcn", list.Stdout);

        var up = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.File("out.png"), "-m", "espcn"], env);
        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.True(File.Exists(temp.File("out.png")));
    }

    [Fact]
    public async Task Importing_a_file_that_is_not_a_model_fails_in_one_line()
    {
        using var temp = new TempFolder();
        var run = await CliRun.Start(["models", "import", TestPaths.Set5Lr("bird", 4), "--models-dir", temp.Path]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not a model SuperRes can import", Assert.Single(run.StderrLines));
    }
}
