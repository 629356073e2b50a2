using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SuperRes.Server.Tests.Hardening;

/// <summary>What a hostile or broken client sends: every answer is a 4xx with a problem body, never a 5xx.</summary>
public class MalformedRequestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    public static TheoryData<string, string, string> BrokenBodies => new()
    {
        { "no boundary", "multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc\r\n--x--\r\n" },
        { "truncated", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc" },
        { "no closing boundary", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"scale\"\r\n\r\n3\r\n" },
        { "garbage", "multipart/form-data; boundary=x", "\u0001\u0002 not multipart at all \u00ff" },
        { "boundary mismatch", "multipart/form-data; boundary=y", "--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n" + new string('z', 25_000) + "\r\n--x--\r\n" },
        { "headers never end", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"image\"" + new string('h', 20_000) },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task Broken_multipart_bodies_get_400_on_both_upload_endpoints(string what, string contentType, string body)
    {
        foreach (var path in new[] { "/api/v1/upscale", "/api/v1/jobs" })
        {
            using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var response = await Client.PostAsync(path, content);
            var problem = await response.Problem(400);
            Assert.Contains("malformed", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.True(response.StatusCode != HttpStatusCode.RequestEntityTooLarge, what);
        }
    }

    [Theory]
    [InlineData("SUPERRES/EDSR")]
    [InlineData("../superres-edsr")]
    [InlineData("superres-edsr/../../x")]
    [InlineData("SuperRes EDSR")]
    public async Task Model_names_are_checked_as_sent(string model)
    {
        using var response = await Client.PostAsync("/api/v1/upscale", Http.Form(File.ReadAllBytes(TestPaths.Set5Lr("bird", 4)), "b.png", ("model", model)));
        var problem = await response.Problem(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("model", out _));
    }

    [Fact]
    public async Task Three_hundred_hostile_files_over_http_get_no_5xx()
    {
        var statuses = new Dictionary<int, int>();
        var jobs = new List<string>();
        int i = 0;
        foreach (var (name, data) in HostileImages.Mutations(320, seed: 7))
        {
            // Half synchronous, half jobs: both paths read the header, check limits and decode.
            bool sync = i++ % 2 == 0;
            HttpResponseMessage response;
            try
            {
                // As upload clients do (curl past 1 MB): the server can refuse an oversize body before it is sent.
                using var request = new HttpRequestMessage(HttpMethod.Post, sync ? "/api/v1/upscale" : "/api/v1/jobs")
                {
                    Content = Http.Form(data, name, ("model", "esrgan-slim"), ("scale", "2")),
                };
                request.Headers.ExpectContinue = true;
                response = await Client.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"{name} ({(sync ? "sync" : "job")}): the server dropped the connection", e);
            }
            using var _ = response;
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{name} got {status}: {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                await response.Problem(status);
            }
            else if (!sync)
            {
                jobs.Add((await response.Json()).GetProperty("id").GetString()!);
            }
        }
        foreach (var id in jobs)
        {
            var job = await Http.WaitForJobAsync(Client, id);
            if (job.GetProperty("status").GetString() == "failed")
            {
                Assert.InRange(job.GetProperty("errorStatus").GetInt32(), 400, 499);
            }
        }
        Assert.True(statuses.GetValueOrDefault(200) > 20, string.Join(", ", statuses)); // many still decode
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > 50, string.Join(", ", statuses));
    }
}
