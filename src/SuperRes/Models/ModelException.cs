namespace SuperRes.Models;

/// <summary>A model cannot be found, fetched, read or run. The message is one sentence that names the fix.</summary>
public sealed class ModelException(string message, Exception? inner = null) : Exception(message, inner);
