using Microsoft.AspNetCore.Http;
using StackExchange.Redis;
using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Server.Jobs;
using SuperRes.Server.Jobs.Payloads;

namespace SuperRes.Server;

/// <summary>Maps what can go wrong with a request to an HTTP status and one plain sentence (RFC 7807 problem details).</summary>
public static class ProblemMapping
{
    public sealed record Problem(int Status, string Title, string Detail);

    public static Problem For(Exception e) => e switch
    {
        InvalidImageException { Reason: InvalidImageReason.UnsupportedFormat } i => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported image format", i.Message),
        InvalidImageException { Reason: InvalidImageReason.TooLarge } i => new(StatusCodes.Status422UnprocessableEntity, "Image too large", i.Message),
        InvalidImageException i => new(StatusCodes.Status422UnprocessableEntity, "Unreadable image", i.Message),
        ModelException m => new(StatusCodes.Status400BadRequest, "Unusable model or scale", m.Message),
        JobTimeLimitException t => new(StatusCodes.Status422UnprocessableEntity, "Took too long", t.Message),
        Jobs.Redis.RedisNearlyFullException r => new(StatusCodes.Status507InsufficientStorage, "Storage nearly full", r.Message),
        QueueFullException q => new(StatusCodes.Status429TooManyRequests, "Too busy", q.Message),
        BadHttpRequestException { StatusCode: 413 } => new(StatusCodes.Status413PayloadTooLarge, "Upload too large", "The upload is larger than the server accepts."),
        InvalidDataException d when d.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase) =>
            new(StatusCodes.Status413PayloadTooLarge, "Upload too large", "The upload is larger than the server accepts."),
        BadHttpRequestException b => new(b.StatusCode, "Bad request", b.Message),
        PayloadStoreUnavailableException => new(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
            "The shared image storage cannot be used right now; nothing was lost, try again in a few seconds."),
        PayloadTooLargeException p => new(StatusCodes.Status413PayloadTooLarge, "Image too large for the queue", p.Message),
        RedisServerException r when r.Message.Contains("OOM command not allowed", StringComparison.Ordinal) => new(StatusCodes.Status507InsufficientStorage, "Storage full",
            "Redis refused to store the image (it is out of memory); give it more maxmemory or set Queue:PayloadDirectory."),
        _ when IsUnavailable(e) => new(StatusCodes.Status503ServiceUnavailable, "Job queue unavailable",
            "The shared job queue (Redis) is unreachable; nothing was lost, try again in a few seconds."),
        _ => new(StatusCodes.Status500InternalServerError, "Internal error", "The server failed to process the image."),
    };

    /// <summary>Whether the mapping has an answer of its own for <paramref name="e"/> (else it is a 500: a fault of ours).</summary>
    public static bool Knows(Exception e) => For(e).Status != StatusCodes.Status500InternalServerError;

    /// <summary>Redis is down or not answering: the request can be retried, so 503 rather than 500.</summary>
    public static bool IsUnavailable(Exception e) => e is RedisConnectionException or RedisTimeoutException or PayloadStoreUnavailableException
        || (e is RedisServerException r && r.Message.StartsWith("LOADING", StringComparison.Ordinal))
        || (e.InnerException is { } inner && IsUnavailable(inner));

    public static IResult ToResult(Exception e, HttpContext? context = null)
    {
        var p = For(e);
        if (context is not null && (e is QueueFullException || IsUnavailable(e)))
        {
            var retry = e is QueueFullException q ? q.RetryAfter : TimeSpan.FromSeconds(2);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
        }
        return Results.Problem(detail: p.Detail, statusCode: p.Status, title: p.Title);
    }
}
