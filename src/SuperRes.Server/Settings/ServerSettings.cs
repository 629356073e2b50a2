using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace SuperRes.Server.Settings;

/// <summary>The server's settings, bound and validated once, before anything is composed from them.</summary>
public static partial class ServerSettings
{
    /// <summary>Binds the "SuperRes" section (old flat names read as their new ones) and checks every section's rules.</summary>
    /// <param name="notes">Where the sentences about renamed settings go (logged once the host runs).</param>
    /// <exception cref="ServerConfigurationException">A setting is out of range or invalid; the message names each.</exception>
    public static ServerOptions Load(IConfigurationManager configuration, out IReadOnlyList<string> notes)
    {
        notes = MovedSettings.Apply(configuration);
        var options = new ServerOptions();
        configuration.GetSection(ServerOptions.Section).Bind(options);
        var result = new ServerOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ServerConfigurationException("Invalid settings: " + string.Join(" ", result.Failures.Select(Named)));
        }
        return options;
    }

    /// <summary>"Workers: The field ServerOptions.Jobs.Workers must be …" as the setting is spelled: "Jobs:Workers must be …".</summary>
    private static string Named(string failure) => GeneratedFailure().Match(failure) is { Success: true } m
        ? $"{m.Groups[1].Value.Replace('.', ':')} {m.Groups[2].Value}"
        : OwnFailure().Match(failure) is { Success: true } own ? own.Groups[2].Value : failure;

    /// <summary>A section's own rule names the setting already: "Secret: Webhooks:Secret is …".</summary>
    [GeneratedRegex(@"^([\w:]+): (\w+:\1\b.*)$", RegexOptions.Singleline)]
    private static partial Regex OwnFailure();

    [GeneratedRegex(@"^\w+: The field ServerOptions\.([\w.]+) (.*)$", RegexOptions.Singleline)]
    private static partial Regex GeneratedFailure();
}
