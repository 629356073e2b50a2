namespace SuperRes.Inference;

/// <summary>Which runtime executes an ONNX model.</summary>
public enum EngineKind
{
    /// <summary>Time both once per model and keep the faster.</summary>
    Auto,
    OnnxRuntime,
    OpenCvDnn,
}
