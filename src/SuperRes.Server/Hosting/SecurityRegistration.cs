using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SuperRes.Server.Observability;
using SuperRes.Server.Security;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Hosting;

/// <summary>What stands between the network and the endpoints: connection and upload limits, keys, hosts, origins, headers.</summary>
public static class SecurityRegistration
{
    public static void AddSuperResProtection(this WebApplicationBuilder builder, ServerOptions options)
    {
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.Limits.MaxUploadBytes + 64 * 1024;
            k.Limits.MaxConcurrentConnections = options.Limits.MaxConnections;
            // A client that sends its body slower than this after the grace period is cut off, so a drip cannot hold
            // an upload slot; Kestrel's default (240 B/s) lets a 300 B/s drip through.
            k.Limits.MinRequestBodyDataRate = options.Clients.MinUploadBytesPerSecond > 0
                ? new MinDataRate(options.Clients.MinUploadBytesPerSecond, TimeSpan.FromSeconds(5))
                : null;
            k.Limits.RequestHeadersTimeout = options.Clients.RequestHeadersTimeout;
            var perAddress = new ConnectionsPerAddress(options.Clients.Connections,
                () => k.ApplicationServices.GetRequiredService<ServerMetrics>().Rejected("connections_per_address"));
            k.ConfigureEndpointDefaults(listen => listen.Use(perAddress.Wrap));
        });
        // A server on loopback answers only to loopback names unless told otherwise: a page on another
        // site cannot reach it through a DNS name rebound to 127.0.0.1.
        if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]) && ListensOnLoopbackOnly(builder.Configuration["urls"]))
        {
            builder.Configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]";
        }
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = ClientLimits.Create(options);
            limiter.OnRejected = async (context, ct) =>
            {
                bool stream = ClientLimits.Of(context.HttpContext) == ClientLimits.Kind.EventStream;
                context.HttpContext.RequestServices.GetRequiredService<ServerMetrics>().Rejected(stream ? "event_streams" : "uploads_in_flight");
                context.HttpContext.Response.Headers.RetryAfter = "2";
                await Results.Problem(statusCode: 429, title: "Too busy", detail: stream
                    ? $"This client follows {options.Clients.EventStreams} event streams already; close one, or poll the job instead."
                    : $"This client has {options.Clients.Uploads} uploads in progress, or the server {options.Limits.MaxUploadsInFlight}; retry shortly.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        var auth = builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName);
        auth.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
    }

    public static void UseSuperResProtection(this WebApplication app, ServerOptions options)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<CrossSiteRequests>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        if (options.Security.ApiKeys.Count == 0 && !ListensOnLoopbackOnly(app.Configuration["urls"]))
        {
            app.Logger.LogWarning("""
                *** SuperRes is listening on {Urls} with no API keys: anyone who can reach it can use it. ***
                *** Set SuperRes:Security:ApiKeys (environment SUPERRES__Security__ApiKeys__0=...) or bind to 127.0.0.1.***
                """, app.Configuration["urls"]);
        }
    }

    private static bool ListensOnLoopbackOnly(string? urls) =>
        string.IsNullOrEmpty(urls) || urls.Split(';', StringSplitOptions.RemoveEmptyEntries).All(IsLoopback);

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri))
        {
            return false;
        }
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
