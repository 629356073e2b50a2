using System.Text.RegularExpressions;

namespace SuperRes.Server.Tests;

/// <summary>
/// The server's folders are layers, each using only those below it: Hosting (and the entry point) → Api → Security →
/// Jobs → Pipeline → Storage → Observability → Settings. Checked over every source file's using lines and the
/// namespaces it names in code, against the types the built assembly really has.
/// </summary>
public partial class ArchitectureTests
{
    private static readonly string[] Layers = ["Hosting", "Api", "Security", "Jobs", "Pipeline", "Storage", "Observability", "Settings"];

    private static readonly string Source = Path.Combine(TestPaths.RepoRoot, "src", "SuperRes.Server");

    [Fact]
    public void Every_folder_of_the_server_is_a_layer_and_its_namespace()
    {
        foreach (var file in SourceFiles())
        {
            var folder = Path.GetRelativePath(Source, file).Split(Path.DirectorySeparatorChar) is [var first, _, ..] ? first : "";
            var ns = Namespace().Match(File.ReadAllText(file)).Groups[1].Value;
            var expected = folder.Length == 0 ? "SuperRes.Server" : "SuperRes.Server." + folder;
            Assert.True(ns == expected || ns.StartsWith(expected + ".", StringComparison.Ordinal), $"{Path.GetRelativePath(Source, file)} is in namespace {ns}");
            Assert.True(folder.Length == 0 || Layers.Contains(folder), $"{folder}/ is not one of the layers ({string.Join(", ", Layers)})");
        }
    }

    [Fact]
    public void No_layer_uses_a_layer_above_it()
    {
        var namespaces = typeof(SuperResServer).Assembly.GetTypes().Select(t => t.Namespace ?? "").ToHashSet();
        var types = typeof(SuperResServer).Assembly.GetTypes().Select(t => $"{t.Namespace}.{t.Name.Split('`')[0]}").ToHashSet();
        var upward = new List<string>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            int own = Rank(Namespace().Match(text).Groups[1].Value);
            var code = Comment().Replace(text, "");
            var named = Using().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(Qualified().Matches(code).Select(m => "SuperRes.Server." + m.Groups[1].Value)
                    .Where(n => namespaces.Contains(n[..n.LastIndexOf('.')]) && (types.Contains(n) || namespaces.Contains(n))));
            foreach (var name in named.Distinct())
            {
                if (Rank(name) < own)
                {
                    upward.Add($"{Path.GetRelativePath(Source, file)} ({Layers[own]}) uses {name} ({Layers[Rank(name)]})");
                }
            }
        }
        Assert.True(upward.Count == 0, string.Join("\n", upward));
    }

    /// <summary>The layer of a namespace or type under SuperRes.Server; the root (the entry point) ranks with Hosting.</summary>
    private static int Rank(string name)
    {
        var parts = name.Split('.');
        return parts.Length > 2 && Array.IndexOf(Layers, parts[2]) is >= 0 and var i ? i : 0;
    }

    private static IEnumerable<string> SourceFiles() => Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (SuperRes\.Server(?:\.[\w]+)*);", RegexOptions.Multiline)]
    private static partial Regex Using();

    /// <summary>A name qualified from a layer down (Jobs.Webhooks.WebhookTarget, SuperRes.Server.Storage.ResultKey), not a
    /// member access (options.Jobs.Workers).</summary>
    [GeneratedRegex(@"(?<![\w.])(?:SuperRes\.Server\.)?((?:Hosting|Api|Security|Jobs|Pipeline|Storage|Observability|Settings)(?:\.[A-Z]\w*)+)")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"//.*$|/\*.*?\*/", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Comment();
}
