using SuperRes.Server.Pipeline;
namespace SuperRes.Server.Jobs;

/// <summary>
/// How a job ended: the one description every queue records and every reaction to an end (metrics, logs) reads,
/// whether the job ran in this process or on a Redis worker.
/// </summary>
public sealed record JobEnding(JobStatus Status, double Progress, UpscaleOutcome? Result = null, string? Error = null, int? ErrorStatus = null)
{
    public const string CanceledMessage = "The job was canceled.";

    public static JobEnding Succeeded(UpscaleOutcome result) => new(JobStatus.Succeeded, 1, result);

    public static JobEnding Failed(string error, int status) => new(JobStatus.Failed, 0, null, error, status);

    public static JobEnding Canceled(double progress) => new(JobStatus.Canceled, progress, null, CanceledMessage);
}
