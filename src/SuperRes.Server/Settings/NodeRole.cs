namespace SuperRes.Server.Settings;

/// <summary>The part a process plays in a deployment; with the in-process queue only All makes sense.</summary>
public enum NodeRole
{
    All,
    Api,
    Worker,
}
