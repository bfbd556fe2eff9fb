using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace Telemetry.Hosting;

/// <summary>
/// Builds the Serilog logger from the same <c>Serilog</c> section as the other services, without loading sinks by
/// name at run time, so that a natively compiled service (no reflection over assemblies) reads its usual settings.
/// It knows what the services' settings use: <c>MinimumLevel</c> (<c>Default</c> and <c>Override</c>) and
/// <c>WriteTo</c> entries named <c>Console</c> (<c>outputTemplate</c>) or <c>File</c> (<c>path</c>,
/// <c>outputTemplate</c>, <c>rollingInterval</c>, <c>retainedFileCountLimit</c>, <c>fileSizeLimitBytes</c>,
/// <c>rollOnFileSizeLimit</c>). Anything else in the section is refused, naming its key, rather than ignored.
/// </summary>
public static class CompiledLogging
{
    private const string Section = "Serilog";
    private const string DefaultTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Service} {SourceContext}: {Message:lj}{NewLine}{Exception}";
    // Using names assemblies to load sinks from; here the two sinks are compiled in, so it changes nothing.
    private static readonly string[] KnownKeys = ["MinimumLevel", "WriteTo", "Using"];
    private static readonly string[] ConsoleArguments = ["outputTemplate"];
    private static readonly string[] FileArguments = ["path", "outputTemplate", "rollingInterval", "retainedFileCountLimit", "fileSizeLimitBytes", "rollOnFileSizeLimit"];

    /// <summary>The logger configuration the section describes; throws <see cref="InvalidConfigurationException"/> listing every problem.</summary>
    public static LoggerConfiguration FromConfiguration(IConfiguration configuration)
    {
        var problems = new List<string>();
        var logger = new LoggerConfiguration();
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren().Where(c => !KnownKeys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{child.Path} is not a setting this service reads; it takes {string.Join(", ", KnownKeys.Take(2))}");
        }

        // The level may be the section's own value or its Default; unset, Serilog's own default (Information) holds.
        var minimum = section.GetSection("MinimumLevel");
        var (level, levelKey) = minimum.Value is { } value ? (value, minimum.Path) : (minimum["Default"], $"{minimum.Path}:Default");
        if (level is not null && Level(level, levelKey, problems) is { } parsed)
        {
            logger.MinimumLevel.Is(parsed);
        }

        foreach (var entry in minimum.GetSection("Override").GetChildren())
        {
            if (Level(entry.Value, entry.Path, problems) is { } overridden)
            {
                logger.MinimumLevel.Override(entry.Key, overridden);
            }
        }

        foreach (var sink in section.GetSection("WriteTo").GetChildren())
        {
            var name = sink["Name"];
            var arguments = sink.GetSection("Args");
            switch (name)
            {
                case "Console":
                    Refuse(arguments, ConsoleArguments, problems);
                    logger.WriteTo.Console(outputTemplate: arguments["outputTemplate"] ?? DefaultTemplate, formatProvider: CultureInfo.InvariantCulture);
                    break;
                case "File":
                    Refuse(arguments, FileArguments, problems);
                    if (arguments["path"] is not { Length: > 0 } path)
                    {
                        problems.Add($"{arguments.Path}:path is required for a File sink");
                        break;
                    }

                    logger.WriteTo.File(
                        path,
                        outputTemplate: arguments["outputTemplate"] ?? DefaultTemplate,
                        formatProvider: CultureInfo.InvariantCulture,
                        rollingInterval: Parse(arguments, "rollingInterval", RollingInterval.Infinite, Enum.TryParse, problems),
                        retainedFileCountLimit: Parse(arguments, "retainedFileCountLimit", 31, (string s, out int v) => int.TryParse(s, CultureInfo.InvariantCulture, out v) && v > 0, problems),
                        fileSizeLimitBytes: Parse(arguments, "fileSizeLimitBytes", 1L << 30, (string s, out long v) => long.TryParse(s, CultureInfo.InvariantCulture, out v) && v > 0, problems),
                        rollOnFileSizeLimit: Parse(arguments, "rollOnFileSizeLimit", false, bool.TryParse, problems));
                    break;
                default:
                    problems.Add($"{sink.Path}:Name '{name}' is not a sink this service has; it writes to Console or File");
                    break;
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(problems);
        }

        return logger;
    }

    private static LogEventLevel? Level(string? text, string key, List<string> problems)
    {
        if (Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level))
        {
            return level;
        }

        problems.Add($"{key} '{text}' is not a level; use one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}");
        return null;
    }

    private static void Refuse(IConfigurationSection arguments, string[] known, List<string> problems)
    {
        foreach (var argument in arguments.GetChildren().Where(a => !known.Contains(a.Key, StringComparer.Ordinal)))
        {
            problems.Add($"{argument.Path} is not an argument of this sink; it takes {string.Join(", ", known)}");
        }
    }

    private delegate bool TryParser<T>(string text, out T value);

    private static T Parse<T>(IConfigurationSection arguments, string key, T fallback, TryParser<T> parse, List<string> problems)
    {
        if (arguments[key] is not { } text)
        {
            return fallback;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        problems.Add($"{arguments.Path}:{key} '{text}' is not a valid {typeof(T).Name}");
        return fallback;
    }
}
