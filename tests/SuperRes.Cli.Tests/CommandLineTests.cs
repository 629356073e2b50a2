namespace SuperRes.Cli.Tests;

/// <summary>A mistyped option is a usage error naming the closest option, never an input file or a silent setting.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("unknown option '--tlie'; did you mean '--tile'?", "upscale", "IN", "-o", "OUT", "--tlie", "64")]
    [InlineData("unknown option '--ensembel'; did you mean '--ensemble'?", "upscale", "IN", "-o", "OUT", "--ensembel")]
    [InlineData("unknown option '--precison'", "upscale", "IN", "-o", "OUT", "--precison", "int8")]
    [InlineData("unknown option '--sizse'; did you mean '--sizes'?", "bench", "speed", "--sizse", "96")]
    [InlineData("unknown option '--datset'; did you mean '--dataset'?", "bench", "quality", "--datset", "x")]
    [InlineData("unknown option '--urlz'; did you mean '--urls'?", "serve", "--urlz", "http://127.0.0.1:0")]
    [InlineData("unknown option '--forse'; did you mean '--force'?", "models", "pull", "esrgan-slim", "--forse")]
    public async Task A_mistyped_option_is_a_usage_error_that_names_the_closest(string expected, params string[] args)
    {
        using var temp = new TempFolder();
        var input = TestPaths.Set5Lr("bird", 4);
        var run = await CliRun.Start(args.Select(a => a switch { "IN" => input, "OUT" => temp.File("out.png"), _ => a }).ToArray());
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"superres: {expected}", line);
        Assert.False(File.Exists(temp.File("out.png")), "nothing ran");
    }

    // The keys reach the server's configuration (not the option check), which refuses the values: one line each.
    [Theory]
    [InlineData("--SuperRes:Limits:MaxUploadBytes=abc", "'abc' at 'SuperRes:Limits:MaxUploadBytes'")]   // does not parse
    [InlineData("--SuperRes:Jobs:QueueCapacity=0", "QueueCapacity must be between 1 and")]      // out of range
    [InlineData("--SuperRes:Queue:MaxAttempts=0", "Queue:MaxAttempts must be between 1 and")]  // out of range in a section
    public async Task A_bad_setting_stops_start_up_with_one_line(string setting, string expected)
    {
        var run = await CliRun.Start(["serve", "--urls", "http://127.0.0.1:0", setting]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
    }
}
