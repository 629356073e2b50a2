using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Security;

/// <summary>
/// Per-client concurrency on the routes a client could hold for long: uploads (each also counts against the server's
/// MaxUploadsInFlight) and job event streams. Routes take part through their metadata (<see cref="LimitedAs"/>).
/// </summary>
public static class ClientLimits
{
    public enum Kind
    {
        Upload,
        EventStream,
    }

    /// <summary>Route metadata: the route counts against this limit of its client.</summary>
    public sealed record LimitedAs(Kind Kind);

    public static TBuilder CountsAsUpload<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new LimitedAs(Kind.Upload));

    public static TBuilder CountsAsEventStream<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new LimitedAs(Kind.EventStream));

    public static Kind? Of(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<LimitedAs>()?.Kind;

    /// <summary>Each client's own limit first, then (uploads) the server's: a client over its share never takes a server slot.</summary>
    public static PartitionedRateLimiter<HttpContext> Create(ServerOptions options) => PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<HttpContext, string>(context => Of(context) switch
        {
            Kind.Upload => Concurrency($"upload|{ClientIdentity.Of(context)}", options.Clients.Uploads),
            Kind.EventStream => Concurrency($"events|{ClientIdentity.Of(context)}", options.Clients.EventStreams),
            _ => RateLimitPartition.GetNoLimiter(""),
        }),
        PartitionedRateLimiter.Create<HttpContext, string>(context => Of(context) == Kind.Upload
            ? Concurrency("uploads", options.Limits.MaxUploadsInFlight)
            : RateLimitPartition.GetNoLimiter("")));

    private static RateLimitPartition<string> Concurrency(string key, int permits) =>
        RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 });
}
