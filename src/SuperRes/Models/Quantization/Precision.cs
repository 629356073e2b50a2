namespace SuperRes.Models.Quantization;

/// <summary>The arithmetic a model runs in.</summary>
public enum Precision
{
    /// <summary>int8 where a checked int8 copy exists and runs faster on this CPU (<see cref="Inference.Int8Speed"/>); else fp32.</summary>
    Auto,

    Fp32,

    /// <summary>The model's checked int8 copy (written by <c>superres models quantize</c>), run on ONNX Runtime's int8 kernels.</summary>
    Int8,
}
