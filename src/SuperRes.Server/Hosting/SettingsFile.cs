using Microsoft.Extensions.Configuration;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Hosting;

/// <summary>
/// <c>--settings FILE</c>: a production settings file kept outside the program folder (for example
/// /etc/superres/superres.json, see deploy/). It overrides the defaults beside the program; environment variables
/// and command-line keys still override it.
/// </summary>
public static class SettingsFile
{
    public const string Key = "settings";

    public static void Apply(IConfigurationManager configuration, string[] args)
    {
        if (configuration[Key] is not { Length: > 0 } file)
        {
            return;
        }
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new ServerConfigurationException($"The settings file {path} does not exist.");
        }
        configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }
}
