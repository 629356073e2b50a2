using System.Net;
using System.Text.Json;
using SuperRes.Server.Jobs.Webhooks;

namespace SuperRes.Server.Tests;

/// <summary>Webhooks on job submit: signed deliveries, retries, the address policy, and bad requests.</summary>
public class WebhookTests
{
    private const string Secret = "webhook-test-secret-0123456789";

    private static byte[] Bird => File.ReadAllBytes(TestPaths.Set5Lr("bird", 4));

    [Fact]
    public async Task A_delivery_is_signed_and_retried_after_500s_until_the_receiver_takes_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var server = await ServerInstance.StartAsync($"WebhookSecret={Secret}", "AllowedWebhookHosts:0=127.0.0.1", "WebhookRetryDelay=00:00:00.050");

        var id = await SubmitAsync(server, ("webhook", receiver.Url.ToString()), ("webhook_events", "completed"));
        var delivery = await receiver.FirstAccepted.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal([500, 500, 200], receiver.Received.Select(d => d.StatusGiven));
        Assert.All(receiver.Received, d => Assert.True(WebhookSignature.Verify(Secret, d.Signature!, d.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", delivery.Signature!, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal("completed", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("job").GetProperty("id").GetString());
        Assert.Equal("succeeded", body.RootElement.GetProperty("job").GetProperty("status").GetString());

        var webhook = await WebhookStateAsync(server, id, s => s != "pending");
        Assert.Equal(("delivered", 3), (webhook.GetProperty("status").GetString(), webhook.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task A_target_on_an_internal_address_is_refused_and_the_job_says_so()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServerInstance.StartAsync($"WebhookSecret={Secret}"); // loopback not allowed

        var id = await SubmitAsync(server, ("webhook", receiver.Url.ToString()));

        var webhook = await WebhookStateAsync(server, id, s => s != "pending");
        Assert.Equal("refused", webhook.GetProperty("status").GetString());
        Assert.Contains("internal address", webhook.GetProperty("detail").GetString());
        Assert.Empty(receiver.Received);
    }

    [Theory]
    [InlineData(Secret, "ftp://example.org/hook", "absolute http or https URL")]
    [InlineData(Secret, "http://example.org/hook", "webhook_events takes completed, failed and progress")]
    [InlineData(null, "http://example.org/hook", "no WebhookSecret")]
    public async Task A_webhook_the_server_cannot_honour_is_a_400_saying_why(string? secret, string url, string expected)
    {
        await using var server = secret is null ? await ServerInstance.StartAsync() : await ServerInstance.StartAsync($"WebhookSecret={secret}");
        var fields = expected.Contains("events") ? new[] { ("webhook", url), ("webhook_events", "finished") } : new[] { ("webhook", url) };
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Bird, "bird.png", [("scale", "2"), ("model", "esrgan-slim"), .. fields]));
        var problem = await response.Problem(400);
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    private static async Task<string> SubmitAsync(ServerInstance server, params (string, string)[] fields)
    {
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Bird, "bird.png", [("scale", "2"), ("model", "esrgan-slim"), .. fields]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Json()).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(server.Client, id)).GetProperty("status").GetString());
        return id;
    }

    /// <summary>The job's webhook state once it satisfies <paramref name="done"/> (the outcome is recorded after the delivery).</summary>
    private static async Task<JsonElement> WebhookStateAsync(ServerInstance server, string id, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var webhook = (await (await server.Client.GetAsync($"/api/v1/jobs/{id}")).Json()).GetProperty("webhook");
            if (done(webhook.GetProperty("status").GetString()!) || DateTime.UtcNow > deadline)
            {
                return webhook;
            }
            await Task.Delay(50);
        }
    }
}
