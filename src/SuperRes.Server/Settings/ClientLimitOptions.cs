using System.ComponentModel.DataAnnotations;

namespace SuperRes.Server.Settings;

/// <summary>
/// What one client may hold of the server (section "Clients"). A client is its API key where the server has keys,
/// else its address; every limit here is per client, so one cannot lock out the others.
/// </summary>
public sealed class ClientLimitOptions
{
    /// <summary>An upload slower than this (after a 5 s grace) is cut off: a 300 B/s drip cannot hold a slot for a day.</summary>
    [Range(0, 1_000_000_000)]
    public int MinUploadBytesPerSecond { get; set; } = 4096;

    /// <summary>A request's headers must arrive within this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Uploads one client may have in flight at once (of the server's MaxUploadsInFlight); more get 429.</summary>
    [Range(1, 1024)]
    public int Uploads { get; set; } = 2;

    /// <summary>Connections one address may hold open at once; more are closed as they arrive.</summary>
    [Range(1, 100_000)]
    public int Connections { get; set; } = 32;

    /// <summary>Job event streams one client may follow at once; more get 429 (the web page then polls). 32: a page's
    /// drop of a few dozen photos follows each, while one client cannot hold the server's connections on streams.</summary>
    [Range(1, 10_000)]
    public int EventStreams { get; set; } = 32;

    /// <summary>Jobs one client may have waiting; 0 = half of QueueCapacity.</summary>
    [Range(0, 1_000_000)]
    public int QueuedJobs { get; set; }

    /// <summary>Bytes of finished results one client may keep on this server; 0 = half of JobResultsMaxBytes.</summary>
    [Range(0L, long.MaxValue)]
    public long ResultBytes { get; set; }
}
