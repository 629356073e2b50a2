namespace SuperRes.Models;

/// <summary>A step of installing a model: <paramref name="Step"/> of <paramref name="Steps"/>, described in words.</summary>
public sealed record ModelInstallProgress(int Step, int Steps, string Description);
