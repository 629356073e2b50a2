using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Api;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>
/// Delivers job events to webhooks in the background, so a slow or failing receiver never holds a worker: a JSON
/// POST of <c>{"event": ..., "job": JobSnapshot}</c>, signed (<see cref="WebhookSignature"/>), retried with exponential
/// back-off on errors and non-2xx answers, bounded in attempts and in time. The outcome is recorded on the job and
/// counted. Events come from <see cref="JobCompletion"/> (the node that ended the job, so in scale-out exactly one
/// node sends each final event) and from the worker running the job (progress).
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    private readonly Channel<(JobSnapshot Job, string Event)> pending = Channel.CreateBounded<(JobSnapshot, string)>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim concurrent = new(8);
    private readonly IJobQueue queue;
    private readonly ServerOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger<WebhookDispatcher> log;
    private readonly HttpClient http;
    private readonly JsonSerializerOptions json;
    private readonly ServerMetrics metrics;

    public WebhookDispatcher(IJobQueue queue, IOptions<ServerOptions> options, IOptions<JsonOptions> jsonOptions, TimeProvider clock, ServerMetrics metrics,
        ILogger<WebhookDispatcher> log)
    {
        this.metrics = metrics;
        this.queue = queue;
        this.options = options.Value;
        this.clock = clock;
        this.log = log;
        json = jsonOptions.Value.SerializerOptions;
        var policy = new WebhookAddressPolicy(this.options.AllowedWebhookHosts);
        http = new HttpClient(new SocketsHttpHandler { ConnectCallback = policy.ConnectAsync, AllowAutoRedirect = false, UseProxy = false })
        {
            Timeout = this.options.WebhookTimeout,
        };
    }

    /// <summary>Queues an event if the job has a webhook that wants it; never waits.</summary>
    public void Notify(JobSnapshot job, string eventName)
    {
        if (job.Webhook is not { } hook || !WebhookTarget.TryCreate(hook.Url, hook.Events).Target!.Wants(eventName))
        {
            return;
        }
        if (!pending.Writer.TryWrite((job, eventName)))
        {
            metrics.WebhookDelivery("dropped"); // over a thousand waiting: the receiver is far behind
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var running = new List<Task>();
        await foreach (var (job, eventName) in pending.Reader.ReadAllAsync(stop))
        {
            await concurrent.WaitAsync(stop);
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(job, eventName, stop);
                }
                finally
                {
                    concurrent.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running);
    }

    private async Task DeliverAsync(JobSnapshot job, string eventName, CancellationToken stop)
    {
        var url = new Uri(job.Webhook!.Url);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { @event = eventName, job = job }, json);
        var deadline = clock.GetUtcNow() + options.WebhookMaxRetryTime;
        var delay = options.WebhookRetryDelay;
        string status = "failed", detail = "";
        int attempt = 0;
        while (attempt < options.WebhookMaxAttempts && !stop.IsCancellationRequested)
        {
            attempt++;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(options.WebhookSecret!, clock.GetUtcNow().ToUnixTimeSeconds(), body));
                request.Headers.Add("X-SuperRes-Event", eventName);
                using var response = await http.SendAsync(request, stop);
                if (response.IsSuccessStatusCode)
                {
                    (status, detail) = ("delivered", $"{(int)response.StatusCode}");
                    break;
                }
                detail = $"the receiver answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (Refusal(e) is { } refused)
            {
                (status, detail) = ("refused", refused.Message);
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                detail = e is TaskCanceledException ? $"no answer within {options.WebhookTimeout.TotalSeconds:0} s" : e.Message;
            }
            if (attempt == options.WebhookMaxAttempts || clock.GetUtcNow() + delay > deadline)
            {
                break;
            }
            await Task.Delay(delay, clock, stop);
            delay *= 2;
        }
        metrics.WebhookDelivery(status);
        if (status != "delivered")
        {
            log.LogWarning("Webhook {Event} of job {Id} {Status} after {Attempts} attempt(s): {Detail}", eventName, job.Id, status, attempt, detail);
        }
        try
        {
            await queue.RecordWebhookAsync(job.Id, job.Webhook with { Status = status, Attempts = attempt, Detail = $"{eventName}: {detail}" }, stop);
        }
        catch (Exception e) when (ProblemMapping.IsUnavailable(e) || e is StackExchange.Redis.RedisException)
        {
            log.LogWarning("Could not record the webhook outcome of job {Id}: {Reason}", job.Id, e.Message);
        }
    }

    private static WebhookRefusedException? Refusal(Exception e) => e as WebhookRefusedException ?? e.InnerException as WebhookRefusedException;

    public override void Dispose()
    {
        http.Dispose();
        concurrent.Dispose();
        base.Dispose();
    }
}
