namespace SuperRes.Server.Settings;

/// <summary>Settings that cannot work together; the message says which setting to change.</summary>
public sealed class ServerConfigurationException(string message) : Exception(message);
