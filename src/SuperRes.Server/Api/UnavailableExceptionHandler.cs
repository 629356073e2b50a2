using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SuperRes.Server.Api;

/// <summary>Any endpoint that meets an unreachable Redis answers 503 with a problem body and Retry-After, not 500.</summary>
public sealed class UnavailableExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!ProblemMapping.IsUnavailable(exception) || context.Response.HasStarted)
        {
            return false;
        }
        await ProblemMapping.ToResult(exception, context).ExecuteAsync(context);
        return true;
    }
}
