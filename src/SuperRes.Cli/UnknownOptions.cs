using System.CommandLine;
using System.CommandLine.Parsing;

namespace SuperRes.Cli;

/// <summary>
/// Finds a mistyped option. System.CommandLine takes an unknown "--precison" for one of the input files (or,
/// for serve and worker, passes it on as configuration), so a typo would show up later as "file not found" or
/// not at all. Here it is a usage error that names the closest option.
/// </summary>
public static class UnknownOptions
{
    // Host settings that serve and worker pass to ASP.NET Core's configuration without a section.
    private static readonly HashSet<string> HostKeys = new(["urls", "environment", "applicationName", "contentRoot", "AllowedHosts", "http_ports", "https_ports"],
        StringComparer.OrdinalIgnoreCase);

    /// <returns>One line naming the unknown option and the closest known one, or null when every option is known.</returns>
    public static string? Find(ParseResult result)
    {
        bool passThrough = !result.CommandResult.Command.TreatUnmatchedTokensAsErrors;
        foreach (var token in result.Tokens.Where(t => t.Type == TokenType.Argument && LooksLikeOption(t.Value)).Select(t => t.Value))
        {
            if (passThrough && IsConfigurationKey(token))
            {
                continue;
            }
            string name = token.Split('=', 2)[0];
            var closest = KnownNames(result.CommandResult).MinBy(k => Distance(name, k));
            bool near = closest is not null && Distance(name, closest) <= Math.Max(2, name.Length / 3);
            return $"unknown option '{name}'" + (near ? $"; did you mean '{closest}'?" : "");
        }
        return null;
    }

    private static bool LooksLikeOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>"--SuperRes:Key=value", "--Section:Key value", or a host key such as "--urls=...".</summary>
    private static bool IsConfigurationKey(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }
        string key = token[2..].Split('=', 2)[0];
        return key.Contains(':') || HostKeys.Contains(key);
    }

    private static IEnumerable<string> KnownNames(CommandResult commandResult)
    {
        for (SymbolResult? r = commandResult; r is CommandResult c; r = c.Parent)
        {
            foreach (var option in c.Command.Options.Where(o => r == commandResult || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    /// <summary>Edit distance (insertions, deletions, substitutions, and swaps of neighbours, as typos go).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
