using System.Runtime.Intrinsics.X86;

namespace SuperRes.Inference;

/// <summary>
/// The vector instructions this CPU offers that inference speed depends on (AVX2/FMA for fp32, AVX-512,
/// VNNI for int8 dot products, BF16), so every speed figure can say which machine it came from.
/// </summary>
public static class CpuFeatures
{
    private static readonly Lazy<IReadOnlyList<string>> Flags = new(Read);

    /// <summary>For example "AVX2 FMA" or "AVX2 FMA AVX-512 AVX-512-VNNI AVX-512-BF16".</summary>
    public static string Summary => Flags.Value.Count == 0 ? "baseline x86-64" : string.Join(' ', Flags.Value);

    public static bool HasVnni => Flags.Value.Any(f => f.Contains("VNNI", StringComparison.Ordinal));

    public static bool HasAvx2 => Flags.Value.Contains("AVX2");

    private static IReadOnlyList<string> Read()
    {
        // The kernel's list names VNNI and BF16 variants that the runtime's intrinsics classes do not all expose.
        var cpu = ReadCpuInfoFlags();
        bool Has(string flag, bool fallback) => cpu is null ? fallback : cpu.Contains(flag);
        var found = new List<string>();
        void Add(string name, bool present)
        {
            if (present)
            {
                found.Add(name);
            }
        }
        Add("AVX2", Has("avx2", Avx2.IsSupported));
        Add("FMA", Has("fma", Fma.IsSupported));
        Add("AVX-VNNI", Has("avx_vnni", AvxVnni.IsSupported));
        Add("AVX-512", Has("avx512f", Avx512F.IsSupported));
        Add("AVX-512-VNNI", Has("avx512_vnni", false));
        Add("AVX-512-BF16", Has("avx512_bf16", false));
        Add("AMX", Has("amx_tile", false));
        return found;
    }

    private static HashSet<string>? ReadCpuInfoFlags()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is null ? null : [.. line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
