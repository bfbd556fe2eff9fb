using Telemetry.BrokerAccess.Mosquitto;
using Telemetry.BrokerAccess.Principals;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.BrokerAccess.CommandLine;

/// <summary>The command line: <c>setup</c>, <c>rotate</c> and <c>show</c>.</summary>
public static class AccessCommand
{
    public const string Usage = """
        usage:
          Telemetry.BrokerAccess setup --sites <file>... --state <dir> [--root lighting] [--profiles <dir>] [--extra-principal <name>:<acl line>]...
              gives every principal of the site files (gateways, ingest, rules, api, crews, observer) a password if it
              has none, keeps the others', and rewrites <dir>/mosquitto/passwords and <dir>/mosquitto/acl
          Telemetry.BrokerAccess rotate <principal> --sites <file>... --state <dir> [same options as setup]
              a new password for one principal; rewrites the broker's files and, if <dir>/mosquitto.pid names a
              running Mosquitto, sends it SIGHUP so that the old password is refused from then on
          Telemetry.BrokerAccess show <principal> --state <dir>
              prints the principal's user name and the file holding its password
        An extra principal's ACL line is 'topic read|write|readwrite <filter>'; repeat the option for more lines.
        """;

    /// <summary>Runs the command; returns the exit code: 0 done, 2 a usage error or a refused input, 1 a file that could not be written.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        cancellationToken.ThrowIfCancellationRequested();
        CommandArguments parsed;
        try
        {
            parsed = CommandArguments.Parse(args);
        }
        catch (FormatException ex)
        {
            return Task.FromResult(Fail(error, ex.Message));
        }

        try
        {
            return Task.FromResult(parsed.Verb switch
            {
                "setup" => Setup(parsed, output),
                "rotate" => Rotate(parsed, output),
                "show" => Show(parsed, output, error),
                _ => Fail(error, parsed.Verb is null ? "no command given" : $"unknown command '{parsed.Verb}'"),
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or SiteValidationException or ProfileValidationException or AccessRefusedException or FormatException or ArgumentException)
        {
            return Task.FromResult(Fail(error, ex.Message));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {ex.Message}");
            return Task.FromResult(1);
        }
    }

    private static int Setup(CommandArguments arguments, TextWriter output)
    {
        var (state, principals) = Load(arguments, positionals: 0);
        var created = state.Setup(principals);
        output.WriteLine($"{principals.Count} principals; new passwords for {(created.Count == 0 ? "none" : string.Join(", ", created))}");
        output.WriteLine($"password file {state.PasswordFile}");
        output.WriteLine($"acl file      {state.AclFile}");
        output.WriteLine($"credentials   {state.Credentials.Directory}");
        return 0;
    }

    private static int Rotate(CommandArguments arguments, TextWriter output)
    {
        var (state, principals) = Load(arguments, positionals: 1);
        var principal = arguments.Positionals[0];
        var reload = state.Rotate(principals, principal);
        output.WriteLine($"new password for {principal} in {state.Credentials.PathOf(principal)}");
        output.WriteLine(reload switch
        {
            ReloadOutcome.Signalled => "the running broker was told to reload (SIGHUP): the old password is refused from now on",
            ReloadOutcome.NotMosquitto => $"{state.BrokerPidFile} names a process that is not Mosquitto; left alone: reload the broker yourself",
            _ => "no broker running from this state folder; the new password applies when it starts",
        });
        return 0;
    }

    private static int Show(CommandArguments arguments, TextWriter output, TextWriter error)
    {
        if (arguments.Positionals.Count != 1)
        {
            throw new FormatException("show takes exactly one principal");
        }

        var state = new AccessState(arguments.State ?? throw new FormatException("--state <dir> is required"));
        var principal = arguments.Positionals[0];
        if (!Principal.IsValidName(principal))
        {
            throw new AccessRefusedException($"'{principal}' is not a valid principal name: {Principal.NameRule}");
        }

        var path = state.Credentials.PathOf(principal);
        if (!File.Exists(path))
        {
            return Fail(error, $"principal '{principal}' has no credentials in {state.Credentials.Directory} (run setup first, or check the name)", usage: false);
        }

        output.WriteLine($"username {principal}");
        output.WriteLine($"password-file {path}");
        return 0;
    }

    private static (AccessState State, IReadOnlyList<Principal> Principals) Load(CommandArguments arguments, int positionals)
    {
        if (arguments.Positionals.Count != positionals)
        {
            throw new FormatException($"{arguments.Verb} takes {(positionals == 0 ? "no principal" : "exactly one principal")}");
        }

        if (arguments.State is null)
        {
            throw new FormatException("--state <dir> is required");
        }

        if (arguments.Sites.Count == 0)
        {
            throw new FormatException("--sites <file>... is required");
        }

        var topics = new Topics(arguments.Root);
        var sites = SiteFiles.Load(arguments.Sites, arguments.Profiles);
        var extra = arguments.Extra.GroupBy(e => e.Name, StringComparer.Ordinal).Select(g => new Principal(g.Key, [.. g.Select(e => e.Entry)]));
        return (new AccessState(arguments.State), AccessPlan.For(sites, topics, extra));
    }

    private static int Fail(TextWriter error, string message, bool usage = true)
    {
        error.WriteLine($"error: {message}");
        if (usage)
        {
            error.WriteLine(Usage);
        }

        return 2;
    }
}
