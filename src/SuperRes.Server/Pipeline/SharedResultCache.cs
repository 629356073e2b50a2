using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Pipeline;

/// <summary>
/// The result cache every node shares in Redis mode: results live in the payload store under
/// "result:&lt;key&gt;", the same place a job's result goes, so a job's output is also a cache entry.
/// Size is bounded by expiry and Redis's own maxmemory policy rather than by an LRU of our own.
/// </summary>
public sealed class SharedResultCache(IPayloadStore payloads, IOptions<ServerOptions> options) : IResultCache
{
    private readonly ServerOptions options = options.Value;

    public static string PayloadKey(string resultKey) => "result:" + resultKey;

    private bool Enabled => options.Cache.MaxBytes > 0;

    public async Task<UpscaleOutcome?> GetAsync(string key, CancellationToken ct)
    {
        if (!Enabled || await payloads.GetAsync(PayloadKey(key), ct) is not { } data)
        {
            return null;
        }
        try
        {
            var header = ImageMetadataReader.ReadHeader(data);
            return UpscaleOutcome.Fresh(data, ImageFormats.MediaType(header.Format), ImageFormats.Extension(header.Format), header.Width, header.Height, TimeSpan.Zero)
                with
            { CacheHit = true, Key = key, Stored = true };
        }
        catch (InvalidImageException)
        {
            return null; // damaged entry: a miss, overwritten by the next run
        }
    }

    public async Task<bool> PutAsync(string key, UpscaleOutcome outcome, CancellationToken ct)
    {
        if (!Enabled)
        {
            return false;
        }
        await payloads.PutAsync(PayloadKey(key), outcome.ReadAll(), TimeToLive, ct);
        return true;
    }

    /// <summary>A result must outlive both its cache entry and the job that points at it.</summary>
    public TimeSpan TimeToLive => options.Cache.TimeToLive > options.Jobs.TimeToLive ? options.Cache.TimeToLive : options.Jobs.TimeToLive;
}
