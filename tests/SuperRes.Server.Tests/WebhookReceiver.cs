using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SuperRes.Server.Tests;

/// <summary>A real HTTP endpoint on loopback that webhooks are sent to: it records every delivery and answers 500 to the
/// first <c>failFirst</c> of them.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskCompletionSource<Delivery> accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int count;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public sealed record Delivery(string? Signature, string? Event, byte[] Body, int StatusGiven);

    public ConcurrentQueue<Delivery> Received { get; } = new();

    public Uri Url => new(new Uri(app.Urls.First()), "/hook");

    /// <summary>The first delivery answered with 200.</summary>
    public Task<Delivery> FirstAccepted => accepted.Task;

    /// <summary>When the first delivery answered with 200 arrived.</summary>
    public DateTimeOffset FirstAcceptedAt { get; private set; }

    private readonly ConcurrentQueue<(int Count, TaskCompletionSource Done)> waiters = new();
    private int acceptedCount;

    /// <summary>Completes once <paramref name="count"/> deliveries have been answered with 200.</summary>
    public Task WaitForAcceptedAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiters.Enqueue((count, done));
        if (Volatile.Read(ref acceptedCount) >= count)
        {
            done.TrySetResult();
        }
        return done.Task;
    }

    /// <param name="answerBytes">Bytes of body each answer carries (a receiver that talks too much).</param>
    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, int answerBytes = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            int status = Interlocked.Increment(ref receiver.count) <= failFirst ? 500 : 200;
            var delivery = new Delivery(context.Request.Headers["X-SuperRes-Signature"], context.Request.Headers["X-SuperRes-Event"], body.ToArray(), status);
            receiver.Received.Enqueue(delivery);
            if (status == 200)
            {
                if (!receiver.accepted.Task.IsCompleted)
                {
                    receiver.FirstAcceptedAt = DateTimeOffset.UtcNow;
                }
                receiver.accepted.TrySetResult(delivery);
                int n = Interlocked.Increment(ref receiver.acceptedCount);
                foreach (var (wanted, done) in receiver.waiters.Where(w => n >= w.Count))
                {
                    done.TrySetResult();
                }
            }
            if (answerBytes > 0)
            {
                context.Response.StatusCode = status;
                var chunk = new byte[65536];
                for (int sent = 0; sent < answerBytes && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
                return Results.Empty;
            }
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
