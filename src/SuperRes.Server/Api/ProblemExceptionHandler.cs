using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SuperRes.Server.Api;

/// <summary>
/// The one exception handler: whatever an endpoint meets that <see cref="ProblemMapping"/> knows (a bad image, a
/// limit, a full queue, an unreachable Redis) becomes its problem body and status (with Retry-After where it applies),
/// never a 500. Anything else is left to the default handler: a 500 problem, logged.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.Response.HasStarted || !ProblemMapping.Knows(exception))
        {
            return false;
        }
        await ProblemMapping.ToResult(exception, context).ExecuteAsync(context);
        return true;
    }
}
