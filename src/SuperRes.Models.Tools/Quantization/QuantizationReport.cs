namespace SuperRes.Models.Tools.Quantization;

/// <summary>What to quantize with: calibration images, how much of each activation's range to keep, and the quality guard.</summary>
public sealed record QuantizationOptions
{
    /// <summary>Folder of the user's images; null = the built-in rendered set.</summary>
    public string? CalibrationFolder { get; init; }

    /// <summary>Central share of each activation's calibrated values its uint8 grid covers; 100 = min to max.</summary>
    /// <remarks>Min to max by default: photographs have rarer, stronger edges than any calibration set, and a clipped
    /// activation costs them more than a coarser grid. Set5 loss, 99.99 % against 100 %: superres-edsr x2 0.26 / 0.08 dB,
    /// x3 (12x48) 0.12 / 0.04, x4 0.05 / 0.03.</remarks>
    public double Percentile { get; init; } = 100;

    /// <summary>Largest PSNR loss against the float model (on the calibration images, protocol scoring) that is accepted.</summary>
    public double MaxLossDb { get; init; } = 0.1;

    /// <summary>Cores for calibration and the guard's runs; 0 = all.</summary>
    public int Threads { get; init; }
}

/// <summary>One candidate int8 model: which convolutions it quantized, and its quality and speed against the float model.</summary>
public sealed record QuantizationAttempt(string Layers, int QuantizedConvolutions, int Convolutions,
    double FloatPsnr, double Int8Psnr, double FloatSeconds, double Int8Seconds)
{
    public double LossDb => FloatPsnr - Int8Psnr;

    /// <summary>How many times faster the int8 model ran the calibration images than the float one, on ONNX Runtime.</summary>
    public double Speedup => FloatSeconds / Math.Max(Int8Seconds, 1e-9);
}

/// <summary>Every attempt with its numbers, and the one written (none when all lost more than the guard allows).</summary>
public sealed record QuantizationReport(string Output, string Calibration, double MaxLossDb, IReadOnlyList<QuantizationAttempt> Attempts, QuantizationAttempt? Accepted)
{
    public bool Written => Accepted is not null;

    /// <summary>A refusal deleted the int8 copy an earlier run had written at <see cref="Output"/>.</summary>
    public bool RemovedPrevious { get; init; }

    /// <summary>One line per attempt, for people.</summary>
    public IEnumerable<string> Lines() => Attempts.Select(a =>
        $"{a.Layers} ({a.QuantizedConvolutions} of {a.Convolutions} convolutions): {a.Int8Psnr:0.00} dB against {a.FloatPsnr:0.00} dB in fp32, " +
        $"loss {a.LossDb:0.000} dB; {a.Int8Seconds:0.00} s against {a.FloatSeconds:0.00} s ({a.Speedup:0.00}x)" +
        (a == Accepted ? " — accepted" : a.LossDb > MaxLossDb ? $" — refused (over {MaxLossDb:0.###} dB)" : ""));
}
