namespace SuperRes.Server.Jobs;

/// <summary>How a job's failure reads to its client: the status and sentence the API would answer a request with.
/// The API layer supplies it, so what becomes which HTTP status is decided in one place.</summary>
public interface IFailureDescriptions
{
    (int Status, string Detail) Describe(Exception e);
}
