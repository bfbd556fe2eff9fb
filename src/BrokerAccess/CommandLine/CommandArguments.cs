using Telemetry.BrokerAccess.Principals;

namespace Telemetry.BrokerAccess.CommandLine;

/// <summary>The parsed arguments of <see cref="AccessCommand"/>.</summary>
public sealed record CommandArguments
{
    public string? Verb { get; init; }

    public IReadOnlyList<string> Positionals { get; init; } = [];

    public IReadOnlyList<string> Sites { get; init; } = [];

    public string? State { get; init; }

    public string Root { get; init; } = Contracts.Topics.DefaultRoot;

    public string? Profiles { get; init; }

    public IReadOnlyList<(string Name, AclEntry Entry)> Extra { get; init; } = [];

    /// <exception cref="FormatException">An unknown option, a missing value, or a malformed extra principal.</exception>
    public static CommandArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var positionals = new List<string>();
        var sites = new List<string>();
        var extra = new List<(string, AclEntry)>();
        string? state = null, profiles = null, root = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--sites":
                    sites.Add(Value());
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        sites.Add(args[++i]);
                    }

                    break;
                case "--state":
                    state = Value();
                    break;
                case "--root":
                    root = Value();
                    break;
                case "--profiles":
                    profiles = Value();
                    break;
                case "--extra-principal":
                    extra.Add(ParseExtra(Value()));
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new FormatException($"unknown option {option}");
                default:
                    positionals.Add(args[i]);
                    break;
            }
        }

        return new CommandArguments
        {
            Verb = positionals.Count > 0 ? positionals[0] : null,
            Positionals = positionals.Count > 0 ? positionals[1..] : [],
            Sites = sites,
            State = state,
            Root = root ?? Contracts.Topics.DefaultRoot,
            Profiles = profiles,
            Extra = extra,
        };
    }

    private static (string, AclEntry) ParseExtra(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"--extra-principal '{text}' must be <name>:<acl line>, e.g. 'harness:topic readwrite #'");
        }

        var name = text[..colon];
        if (!Principal.IsValidName(name))
        {
            throw new FormatException($"--extra-principal '{text}': '{name}' is not a valid principal name: {Principal.NameRule}");
        }

        return (name, AclEntry.Parse(text[(colon + 1)..]));
    }
}
