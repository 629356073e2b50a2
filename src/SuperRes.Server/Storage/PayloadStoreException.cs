namespace SuperRes.Server.Storage;

/// <summary>
/// The shared payload storage failed (a folder gone, a disk full or read-only): an outage of the
/// deployment, not the client's fault. The API answers 503 and workers retry with back-off.
/// </summary>
public sealed class PayloadStoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>A payload too large for where it would go (Redis, past Queue:MaxRedisValueBytes): the job fails with this reason.</summary>
public sealed class PayloadTooLargeException(string message) : Exception(message);
