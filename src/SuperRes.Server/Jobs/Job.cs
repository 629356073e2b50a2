using SuperRes.Server.Pipeline;

namespace SuperRes.Server.Jobs;

/// <summary>
/// One asynchronous upscale. Its id is 128 random bits, never derived from the upload. Watchers
/// (status polls, server-sent events) wait on <see cref="WaitForChangeAsync"/> rather than polling.
/// </summary>
public sealed class Job
{
    private readonly Lock sync = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Job(JobRequest request, byte[] input, Admission admission, DateTimeOffset now)
    {
        Id = JobIds.New();
        Parameters = request.Upscale;
        Webhook = request.Webhook;
        Input = input;
        Admission = admission;
        webhook = request.Webhook is { } w ? new Webhooks.WebhookState(w.Url.ToString(), w.EventList) : null;
        CreatedAt = now;
    }

    private Webhooks.WebhookState? webhook;

    public string Id { get; }

    public UpscaleParameters Parameters { get; }

    /// <summary>The upload; released once the job has run.</summary>
    public byte[]? Input { get; private set; }

    /// <summary>Where the job's events go, if anywhere.</summary>
    public Webhooks.WebhookTarget? Webhook { get; }

    /// <summary>The upload's header and memory estimate, read once when it was submitted.</summary>
    public Admission? Admission { get; private set; }

    public CancellationTokenSource Cancellation { get; } = new();

    public JobStatus Status { get; private set; } = JobStatus.Queued;

    public double Progress { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? Error { get; private set; }

    public int? ErrorStatus { get; private set; }

    public JobResultInfo? Result { get; private set; }

    /// <summary>Bumped on every change; watchers pass the version they have seen.</summary>
    public long Version { get; private set; }

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    public JobSnapshot Snapshot()
    {
        lock (sync)
        {
            return new JobSnapshot(Id, Status, Math.Round(Progress, 4), Parameters.Model, Parameters.Scale, CreatedAt, StartedAt, FinishedAt,
                Result?.CacheHit, Error, ErrorStatus, Attempts: StartedAt is null ? 0 : 1,
                Warning: Result is null ? null : JobResultInfo.Warning(Result.Notes), Webhook: webhook, Restore: Result?.Restore)
            {
                Owner = Parameters.Tenant,
            };
        }
    }

    /// <summary>The latest delivery's outcome (the dispatcher reports it).</summary>
    public void RecordWebhook(Webhooks.WebhookState state) => Update(() =>
    {
        webhook = state;
        return true;
    });

    public bool TryStart(DateTimeOffset now) => Update(() =>
    {
        if (Status != JobStatus.Queued)
        {
            return false;
        }
        Status = JobStatus.Running;
        StartedAt = now;
        return true;
    });

    public void ReportProgress(double fraction) => Update(() =>
    {
        if (Status == JobStatus.Running && fraction > Progress)
        {
            Progress = fraction;
            return true;
        }
        return false;
    });

    /// <returns>False if the job had ended already (canceled meanwhile).</returns>
    public bool Succeed(JobResultInfo result, DateTimeOffset now) => Finish(JobStatus.Succeeded, now, () => { Result = result; Progress = 1; });

    public bool Fail(string error, int status, DateTimeOffset now) => Finish(JobStatus.Failed, now, () => { Error = error; ErrorStatus = status; });

    /// <summary>Cancels a queued or running job.</summary>
    /// <returns>The status it had: Queued or Running if this call canceled it, else the final status it already had.</returns>
    public JobStatus Cancel(DateTimeOffset now)
    {
        var before = JobStatus.Queued;
        bool canceled = Finish(JobStatus.Canceled, now, () => Error = JobEnding.CanceledMessage, status => before = status);
        if (canceled)
        {
            Cancellation.Cancel();
        }
        return canceled ? before : Status;
    }

    public async Task WaitForChangeAsync(long seenVersion, CancellationToken ct)
    {
        Task wait;
        lock (sync)
        {
            if (Version != seenVersion)
            {
                return;
            }
            wait = changed.Task;
        }
        await wait.WaitAsync(ct).ConfigureAwait(false);
    }

    private bool Finish(JobStatus status, DateTimeOffset now, Action apply, Action<JobStatus>? previous = null) => Update(() =>
    {
        if (IsFinished)
        {
            return false;
        }
        previous?.Invoke(Status);
        Status = status;
        FinishedAt = now;
        Input = null;
        Admission = null;
        apply();
        return true;
    });

    private bool Update(Func<bool> change)
    {
        TaskCompletionSource? toSignal = null;
        bool changedNow;
        lock (sync)
        {
            changedNow = change();
            if (changedNow)
            {
                Version++;
                toSignal = changed;
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        toSignal?.TrySetResult();
        return changedNow;
    }
}
