using System.Net;

namespace SuperRes.Server.Tests;

/// <summary>A model problem is the client's (400) when the request asked for something that is not there, and the
/// server's (500, with a problem body and no stack) when its own installed copy is damaged.</summary>
public class ModelProblemTests
{
    [Fact]
    public async Task A_damaged_installed_model_is_a_500_problem_and_an_unknown_one_a_400()
    {
        using var store = new TempFolder();
        var source = Path.Combine(TestPaths.ModelStore, "esrgan-slim");
        var folder = Directory.CreateDirectory(Path.Combine(store.Path, "esrgan-slim")).FullName;
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith(".engine", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var x4 = Path.Combine(folder, "x4.onnx");
        var bytes = await File.ReadAllBytesAsync(x4);
        await File.WriteAllBytesAsync(x4, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        await using var server = await ServerInstance.StartAsync($"ModelStore={store.Path}");
        var bird = await File.ReadAllBytesAsync(TestPaths.Set5Lr("bird", 4));

        using var damaged = await server.Client.PostAsync("/api/v1/upscale", Http.Form(bird, "bird.png", ("model", "esrgan-slim"), ("scale", "4")));
        var problem = await damaged.Problem(500);
        Assert.Equal("Model damaged", problem.GetProperty("title").GetString());
        Assert.Equal("The installed esrgan-slim x4 model file is damaged; the server's operator has to install it again.", problem.GetProperty("detail").GetString());

        using var intact = await server.Client.PostAsync("/api/v1/upscale", Http.Form(bird, "bird.png", ("model", "esrgan-slim"), ("scale", "2")));
        Assert.Equal(HttpStatusCode.OK, intact.StatusCode);
        using var unknownScale = await server.Client.PostAsync("/api/v1/upscale", Http.Form(bird, "bird.png", ("model", "esrgan-slim"), ("scale", "5")));
        Assert.Contains("has no x5 model", (await unknownScale.Problem(400)).GetProperty("detail").GetString());
    }
}
