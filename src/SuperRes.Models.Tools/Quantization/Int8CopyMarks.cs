using SuperRes.Models.Onnx.Schema;
using SuperRes.Models.Quantization;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>Writes the marks <see cref="Int8Copy"/> reads: that the quantizer made the file, and what its guard measured.</summary>
internal static class Int8CopyMarks
{
    public static void Mark(ModelProto model, QuantizationAttempt attempt)
    {
        void Set(string key, string value)
        {
            var existing = model.MetadataProps.FirstOrDefault(p => p.Key == key);
            if (existing is null)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
            else
            {
                existing.Value = value;
            }
        }
        Set(Int8Copy.PrecisionKey, "int8");
        Set(Int8Copy.LossKey, attempt.LossDb.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture));
        Set(Int8Copy.LayersKey, $"{attempt.QuantizedConvolutions}/{attempt.Convolutions} convolutions");
    }
}
