namespace SuperRes;

/// <summary>When tiles are padded to one engine input shape.</summary>
public enum EngineShapePolicy
{
    /// <summary>For models whose re-initialisation is slow (many weights): padding costs less than re-planning.</summary>
    Auto,

    /// <summary>For every engine that re-plans per shape.</summary>
    Always,

    Never,
}
