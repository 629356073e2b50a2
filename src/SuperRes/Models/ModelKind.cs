namespace SuperRes.Models;

/// <summary>How a model file is run.</summary>
public enum ModelKind
{
    /// <summary>An ONNX file (NCHW float32), run by ONNX Runtime or OpenCV DNN.</summary>
    Onnx,

    /// <summary>An OpenCV dnn_superres zoo TensorFlow graph (.pb), run by OpenCV's DnnSuperResImpl.</summary>
    OpenCvZoo,
}
