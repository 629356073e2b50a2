namespace SuperRes.Server.Storage;

/// <summary>
/// Image bytes shared between nodes, by a key the server makes (never client text): uploads waiting for a
/// worker and results waiting for a client. The queue only carries these keys, never the bytes.
/// </summary>
public interface IPayloadStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> data, TimeSpan timeToLive, CancellationToken ct);

    /// <summary>The bytes, or null when missing or expired.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken ct);

    /// <summary>The bytes as a stream read as it is sent (a result's way to a client), or null when missing or expired.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);
}
