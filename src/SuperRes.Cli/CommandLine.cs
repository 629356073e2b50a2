using System.CommandLine;

namespace SuperRes.Cli;

/// <summary>Parses and runs a command; any error becomes one line on stderr and a non-zero exit code.</summary>
public static class CommandLine
{
    public const int Failed = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var result = root.Parse(args);
        var unknown = UnknownOptions.Find(result);
        if (result.Errors.Count > 0 || unknown is not null)
        {
            // System.CommandLine's messages can span lines (lists of choices): keep to one line.
            var message = unknown ?? System.Text.RegularExpressions.Regex.Replace(result.Errors[0].Message, @"\s*\n\s*", " ");
            await Console.Error.WriteLineAsync($"superres: {message} (see 'superres {string.Join(' ', CommandPath(result))} --help')");
            return UsageError;
        }
        try
        {
            // Our handler below turns user errors into one line; System.CommandLine's would print a stack trace.
            return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (CliErrors.Describe(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"superres: {message}");
            return Failed;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult result)
    {
        var names = new Stack<string>();
        for (var c = result.CommandResult; c is not null && c.Command is not RootCommand; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(c.Command.Name);
        }
        return names;
    }
}
