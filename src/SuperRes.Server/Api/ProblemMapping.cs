using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;
using SuperRes.Imaging;
using SuperRes.Models;
using SuperRes.Server.Jobs;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Api;

/// <summary>Maps what can go wrong with a request to an HTTP status and one plain sentence (RFC 7807 problem details).</summary>
public static class ProblemMapping
{
    public sealed record Problem(int Status, string Title, string Detail);

    public static Problem For(Exception e) => e switch
    {
        InvalidImageException { Reason: InvalidImageReason.UnsupportedFormat } i => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported image format", i.Message),
        InvalidImageException { Reason: InvalidImageReason.TooLarge } i => new(StatusCodes.Status422UnprocessableEntity, "Image too large", i.Message),
        InvalidImageException i => new(StatusCodes.Status422UnprocessableEntity, "Unreadable image", i.Message),
        ModelException { Reason: ModelProblem.Damaged } m => new(StatusCodes.Status500InternalServerError, "Model damaged",
            $"{m.Message.TrimEnd('.')}; the server's operator has to install it again."),
        ModelException { Reason: ModelProblem.Unavailable } m => new(StatusCodes.Status503ServiceUnavailable, "Model unavailable",
            $"{m.Message.TrimEnd('.')}; try again later."),
        ModelException { Reason: ModelProblem.EngineMismatch or ModelProblem.NoWorkshop or ModelProblem.NoInt8Copy } m =>
            new(StatusCodes.Status500InternalServerError, "Server misconfigured", m.Message),
        ModelException m => new(StatusCodes.Status400BadRequest, "Unusable model or scale", m.Message),
        TimeLimitException t => new(StatusCodes.Status422UnprocessableEntity, "Took too long", t.Message),
        Jobs.Redis.RedisNearlyFullException r => new(StatusCodes.Status507InsufficientStorage, "Storage nearly full", r.Message),
        QueueFullException q => new(StatusCodes.Status429TooManyRequests, "Too busy", q.Message),
        BadHttpRequestException { StatusCode: 413 } => new(StatusCodes.Status413PayloadTooLarge, "Upload too large", "The upload is larger than the server accepts."),
        InvalidDataException d when d.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase) =>
            new(StatusCodes.Status413PayloadTooLarge, "Upload too large", "The upload is larger than the server accepts."),
        BadHttpRequestException b => new(b.StatusCode, "Bad request", b.Message),
        PayloadStoreUnavailableException => new(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
            "The shared image storage cannot be used right now; nothing was lost, try again in a few seconds."),
        PayloadTooLargeException p => new(StatusCodes.Status413PayloadTooLarge, "Image too large for the queue", p.Message),
        _ when StorageFailures.IsOutOfMemory(e) => new(StatusCodes.Status507InsufficientStorage, "Storage full",
            "Redis refused to store the image (it is out of memory); give it more maxmemory or set Queue:PayloadDirectory."),
        _ when IsUnavailable(e) => new(StatusCodes.Status503ServiceUnavailable, "Job queue unavailable",
            "The shared job queue (Redis) is unreachable; nothing was lost, try again in a few seconds."),
        _ => Internal,
    };

    /// <summary>A fault of ours with nothing more to say: logged as an error, answered without details.</summary>
    private static readonly Problem Internal = new(StatusCodes.Status500InternalServerError, "Internal error", "The server failed to process the image.");

    /// <summary>Whether the mapping has an answer of its own for <paramref name="e"/> (else it is a fault of ours, unexplained).</summary>
    public static bool Knows(Exception e) => For(e) != Internal;

    /// <summary>Redis is down or not answering: the request can be retried, so 503 rather than 500.</summary>
    public static bool IsUnavailable(Exception e) => StorageFailures.IsUnavailable(e);

    /// <summary>What a job that failed with <paramref name="e"/> shows: the answer a request would have got.</summary>
    public sealed class JobFailures : Jobs.IFailureDescriptions
    {
        public (int Status, string Detail) Describe(Exception e) => For(e) is var p ? (p.Status, p.Detail) : default;
    }

    public static ProblemHttpResult ToResult(Exception e, HttpContext? context = null)
    {
        var p = For(e);
        if (context is not null && (e is QueueFullException || IsUnavailable(e)))
        {
            var retry = e is QueueFullException q ? q.RetryAfter : TimeSpan.FromSeconds(2);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
        }
        return TypedResults.Problem(detail: p.Detail, statusCode: p.Status, title: p.Title);
    }
}
