using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Webhooks;

/// <summary>
/// Delivers job events to webhooks in the background, so a slow or failing receiver never holds a worker: a JSON
/// POST of <c>{"event": ..., "job": JobSnapshot}</c>, signed (<see cref="WebhookSignature"/>), retried with exponential
/// back-off on errors and non-2xx answers, bounded in attempts and in time. The outcome is recorded on the job and
/// counted. Events come from <see cref="JobCompletion"/> (the node that ended the job, so in scale-out exactly one
/// node sends each final event) and from the worker running the job (progress).
/// A delivery holds a connection slot only while an attempt is in flight, never through its back-off, and one host
/// holds at most <see cref="PerHost"/> of them: dead receivers slow their own jobs' webhooks, not everyone's. Only the
/// status line of an answer is read. An event that finds the queue full ends the job's webhook as failed, with why.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    /// <summary>Attempts in flight at once, all receivers together.</summary>
    public const int Concurrency = 32;

    /// <summary>Attempts in flight at once to one host.</summary>
    public const int PerHost = 2;

    private const int QueueLength = 1024;

    private readonly Channel<(JobSnapshot Job, string Event)> pending = Channel.CreateBounded<(JobSnapshot, string)>(
        new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim concurrent = new(Concurrency);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> hosts = new(StringComparer.OrdinalIgnoreCase);
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
        var policy = new WebhookAddressPolicy(this.options.Webhooks.AllowedHosts);
        http = new HttpClient(new SocketsHttpHandler { ConnectCallback = policy.ConnectAsync, AllowAutoRedirect = false, UseProxy = false })
        {
            Timeout = this.options.Webhooks.Timeout,
            MaxResponseContentBufferSize = 4096, // an answer's body is never needed, and never buffered whole
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
            // Over a thousand waiting: the receivers are far behind. The job's webhook ends failed, with why, not pending.
            metrics.WebhookDelivery("dropped");
            _ = RecordAsync(job, hook with { Status = "failed", Detail = $"{eventName}: not sent: more than {QueueLength} deliveries were waiting" },
                CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var running = new List<Task>();
        await foreach (var (job, eventName) in pending.Reader.ReadAllAsync(stop))
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(() => DeliverAsync(job, eventName, stop), CancellationToken.None));
        }
        await Task.WhenAll(running);
    }

    private async Task DeliverAsync(JobSnapshot job, string eventName, CancellationToken stop)
    {
        var url = new Uri(job.Webhook!.Url);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { @event = eventName, job = job }, json);
        var deadline = clock.GetUtcNow() + options.Webhooks.MaxRetryTime;
        var delay = options.Webhooks.RetryDelay;
        string status = "failed", detail = "";
        int attempt = 0;
        while (attempt < options.Webhooks.MaxAttempts && !stop.IsCancellationRequested)
        {
            attempt++;
            var host = hosts.GetOrAdd(url.Host, _ => new SemaphoreSlim(PerHost));
            await host.WaitAsync(stop);
            await concurrent.WaitAsync(stop);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(options.Webhooks.Secret!, clock.GetUtcNow().ToUnixTimeSeconds(), url, body));
                request.Headers.Add("X-SuperRes-Event", eventName);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
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
                detail = e is TaskCanceledException ? $"no answer within {options.Webhooks.Timeout.TotalSeconds:0} s" : e.Message;
            }
            finally
            {
                concurrent.Release();
                host.Release();
            }
            if (attempt == options.Webhooks.MaxAttempts || clock.GetUtcNow() + delay > deadline)
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
        await RecordAsync(job, job.Webhook with { Status = status, Attempts = attempt, Detail = $"{eventName}: {detail}" }, stop);
    }

    private async Task RecordAsync(JobSnapshot job, WebhookState state, CancellationToken ct)
    {
        try
        {
            await queue.RecordWebhookAsync(job.Id, state, ct);
        }
        catch (Exception e) when (StorageFailures.IsOutage(e) || StorageFailures.IsOutOfMemory(e))
        {
            log.LogWarning("Could not record the webhook outcome of job {Id}: {Reason}", job.Id, e.Message);
        }
    }

    private static WebhookRefusedException? Refusal(Exception e) => e as WebhookRefusedException ?? e.InnerException as WebhookRefusedException;

    public override void Dispose()
    {
        http.Dispose();
        concurrent.Dispose();
        foreach (var host in hosts.Values)
        {
            host.Dispose();
        }
        base.Dispose();
    }
}
