using Microsoft.AspNetCore.Http;
using SuperRes.Server.Jobs;
using SuperRes.Server.Security;

namespace SuperRes.Server.Api;

/// <summary>
/// A job as its owner sees it: with API keys, a job belongs to the key that submitted it, and to every other key it
/// does not exist (404 on every route, the same answer as an unknown id, so ids cannot be probed).
/// </summary>
public static class OwnedJobs
{
    public static async Task<JobSnapshot?> FindAsync(IJobQueue queue, string id, HttpContext context, CancellationToken ct) =>
        await queue.FindAsync(id, ct) is { } job && job.Owner == ApiKeyAuthentication.Tenant(context.User) ? job : null;
}
