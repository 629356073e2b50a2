using System.Net;
using SuperRes.Quality;

namespace SuperRes.Server.Tests;

/// <summary>The restore field: auto by default, reported on every route that returns a restored image.</summary>
public class RestoreApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private static byte[] Jpeg(int quality)
    {
        using var lr = TestImage.ReadColour(TestPaths.Set5Lr("butterfly", 3));
        return Degradation.Jpeg(lr, quality);
    }

    [Fact]
    public async Task The_sync_endpoint_restores_a_jpeg_by_its_quality_and_says_so()
    {
        using var response = await Client.PostAsync("/api/v1/upscale", Http.Form(Jpeg(35), "photo.jpg", ("scale", "3"), ("format", "png")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^\d\.\d \(auto: JPEG quality 35\)$", response.Headers.GetValues("X-SuperRes-Restore").Single());
    }

    [Fact]
    public async Task A_job_records_the_strength_it_ran_with_and_its_result_carries_it()
    {
        using var submit = await Client.PostAsync("/api/v1/jobs", Http.Form(Jpeg(80), "photo.jpg", ("scale", "3"), ("restore", "0.4")));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = (await submit.Json()).GetProperty("id").GetString()!;
        var done = await Http.WaitForJobAsync(Client, id);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var restore = done.GetProperty("restore");
        Assert.Equal(0.4, restore.GetProperty("strength").GetDouble());
        Assert.Equal("asked", restore.GetProperty("basis").GetString());
        Assert.False(restore.GetProperty("auto").GetBoolean());
        using var result = await Client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal("0.4", result.Headers.GetValues("X-SuperRes-Restore").Single());
        // The recipe's route is the same job.
        using var recipe = await Client.GetAsync($"/result/{id}");
        Assert.Equal("0.4", recipe.Headers.GetValues("X-SuperRes-Restore").Single());
    }

    [Fact]
    public async Task A_strength_that_cannot_apply_is_a_400_naming_the_field()
    {
        foreach (var (model, value, words) in new[]
                 {
                     ("superres-edsr", "1.5", "restore must be \"auto\" or a number from 0 (none) to 1 (full), not \"1.5\"."),
                     ("esrgan-slim", "0.5", "restore applies to models with a restoring pair (superres-edsr x2/x3/x4), not to esrgan-slim x3"),
                 })
        {
            using var response = await Client.PostAsync("/api/v1/jobs", Http.Form(Jpeg(60), "photo.jpg", ("model", model), ("restore", value)));
            var body = await response.Problem(400);
            Assert.Contains(words, body.GetProperty("errors").GetProperty("restore")[0].GetString());
        }
        // Auto (the default) is simply not applied to a model without a pair: no header.
        using var slim = await Client.PostAsync("/api/v1/upscale", Http.Form(Jpeg(60), "photo.jpg", ("model", "esrgan-slim"), ("scale", "2")));
        Assert.Equal(HttpStatusCode.OK, slim.StatusCode);
        Assert.False(slim.Headers.Contains("X-SuperRes-Restore"));
    }

    [Fact]
    public async Task The_model_list_says_which_models_restore()
    {
        var models = await (await Client.GetAsync("/api/v1/models")).Json();
        bool Restores(string name) => models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == name).GetProperty("restores").GetBoolean();
        Assert.True(Restores("superres-edsr"));
        Assert.False(Restores("esrgan-slim"));
        Assert.False(Restores("superres-photo"));
    }
}
