using System.Net;
using System.Net.Http.Headers;
using OpenCvSharp;

namespace SuperRes.Server.Tests;

/// <summary>The Flask recipe's clients, unchanged: POST /enhance with a file field "image", then GET /result/{task_id}.</summary>
public class RecipeEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    /// <summary>What the recipe's client (Python requests, files={'image': f}) sends: one file field, nothing else.</summary>
    private static MultipartFormDataContent RecipeForm(byte[] image)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "photo.png");
        return form;
    }

    [Fact]
    public async Task Enhance_then_poll_result_until_the_image_comes()
    {
        var image = File.ReadAllBytes(TestPaths.Set5Lr("bird", 4)); // 72x72
        using var submitted = await Client.PostAsync("/enhance", RecipeForm(image));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var task = await submitted.Json();
        Assert.Equal("processing", task.GetProperty("status").GetString());
        var id = task.GetProperty("task_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id); // 128 random bits, not a hash of the file name

        // The recipe's client polls; here the job's own events say when to look again.
        await Http.WaitForJobAsync(Client, id);
        using var result = await Client.GetAsync($"/result/{id}");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        using var upscaled = TestImage.Decode(await result.Content.ReadAsByteArrayAsync());
        Assert.Equal(new Size(216, 216), upscaled.Size()); // the default model at x3
    }

    [Fact]
    public async Task Result_is_202_while_the_task_runs_and_404_for_an_unknown_one()
    {
        using (var unknown = await Client.GetAsync($"/result/{new string('a', 32)}"))
        {
            await unknown.Problem(404);
        }
        // A job ahead of it holds the only worker (a heavy model in its 8 orientations) until it is cancelled below,
        // so the recipe's task is still waiting when it is asked about, whatever this machine's speed.
        using var busy = new Mat(300, 300, MatType.CV_8UC3);
        Cv2.Randu(busy, Scalar.All(0), Scalar.All(255));
        using var blocking = await Client.PostAsync("/api/v1/jobs",
            Http.Form(TestImage.Encode(busy, ".png"), "busy.png", ("model", "esrgan-medium"), ("scale", "4"), ("ensemble", "true")));
        Assert.Equal(HttpStatusCode.Accepted, blocking.StatusCode);
        var blocker = (await blocking.Json()).GetProperty("id").GetString()!;

        using var submitted = await Client.PostAsync("/enhance", RecipeForm(File.ReadAllBytes(TestPaths.Set5Lr("bird", 4))));
        var id = (await submitted.Json()).GetProperty("task_id").GetString()!;
        using var early = await Client.GetAsync($"/result/{id}");
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        Assert.Equal("processing", (await early.Json()).GetProperty("status").GetString());
        using (var cancel = await Client.DeleteAsync($"/api/v1/jobs/{blocker}"))
        {
            Assert.Equal("canceled", (await cancel.Json()).GetProperty("status").GetString());
        }
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(Client, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_synchronous_form_answers_with_the_image()
    {
        using var response = await Client.PostAsync("/enhance/sync", RecipeForm(File.ReadAllBytes(TestPaths.Set5Lr("bird", 4))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var upscaled = TestImage.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(new Size(216, 216), upscaled.Size());
        using var notImage = await Client.PostAsync("/enhance", RecipeForm("not a picture"u8.ToArray()));
        await notImage.Problem(415);
    }
}
