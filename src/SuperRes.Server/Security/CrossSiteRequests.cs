using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Security;

/// <summary>
/// Refuses state-changing requests that a browser sends on behalf of another site (a page elsewhere
/// posting a form to a SuperRes on the visitor's own machine). Browsers say where a request comes from
/// (Sec-Fetch-Site, Origin); clients such as curl send neither and are not affected. Origins listed in
/// <see cref="ServerOptions.AllowedOrigins"/> may post.
/// </summary>
public sealed class CrossSiteRequests(RequestDelegate next, IOptions<ServerOptions> options, ServerMetrics metrics)
{
    private readonly HashSet<string> allowed = new(options.Value.Security.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || IsAllowed(request))
        {
            await next(context);
            return;
        }
        metrics.Rejected("cross_site");
        await Results.Problem(statusCode: 403, title: "Cross-site request refused",
            detail: "A page on another site may not send requests to this server; add its origin to SuperRes:Security:AllowedOrigins to allow it.")
            .ExecuteAsync(context);
    }

    private bool IsAllowed(HttpRequest request)
    {
        string? origin = request.Headers.Origin.FirstOrDefault();
        string? site = request.Headers["Sec-Fetch-Site"].FirstOrDefault();
        if (origin is not null && allowed.Contains(origin.TrimEnd('/')))
        {
            return true;
        }
        if (site is not null)
        {
            // "same-origin" from our own page, "none" when the user typed or bookmarked it.
            return site is "same-origin" or "none";
        }
        // Older browsers send only Origin: it must be this server itself.
        return origin is null || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
