using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SuperRes.Server.Api;

/// <summary>
/// The one exception handler: whatever an endpoint meets that <see cref="ProblemMapping"/> knows (a bad image, a
/// limit, a full queue, an unreachable Redis, a damaged installed model) becomes its problem body and status (with
/// Retry-After where it applies); the server's own faults among them (5xx) are logged as errors. Anything else is left to
/// the default handler: a 500 problem, logged.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.Response.HasStarted || !ProblemMapping.Knows(exception))
        {
            return false;
        }
        var result = ProblemMapping.ToResult(exception, context);
        if (result.StatusCode >= 500 && result.StatusCode != StatusCodes.Status503ServiceUnavailable)
        {
            log.LogError(exception, "{Title}: {Detail}", result.ProblemDetails.Title, result.ProblemDetails.Detail);
        }
        await result.ExecuteAsync(context);
        return true;
    }
}
