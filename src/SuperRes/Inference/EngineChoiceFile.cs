namespace SuperRes.Inference;

/// <summary>
/// Remembers the measured engine choice beside the model file (one "threads=engine" line per thread
/// count), so the timing runs once per model and machine rather than at every start.
/// </summary>
internal static class EngineChoiceFile
{
    public static EngineKind? Read(string modelPath, int threads)
    {
        var path = PathFor(modelPath);
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split('=', 2);
            if (parts.Length == 2 && int.TryParse(parts[0], out var t) && t == threads && Enum.TryParse<EngineKind>(parts[1], out var kind) && kind != EngineKind.Auto)
            {
                return kind;
            }
        }
        return null;
    }

    public static void Write(string modelPath, int threads, EngineKind kind)
    {
        try
        {
            File.AppendAllLines(PathFor(modelPath), [$"{threads}={kind}"]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only model folder only costs a re-measurement next time.
        }
    }

    private static string PathFor(string modelPath) => modelPath + ".engine";
}
