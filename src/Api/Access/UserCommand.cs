using System.Security.Cryptography;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api.Access;

/// <summary>
/// <c>Telemetry.Api users ...</c>: adds users from the command line, where there is no one to sign in yet (the first
/// admin), with the password read from standard input or generated and printed once. The repository holds no password.
/// </summary>
public static class UserCommand
{
    public const string Usage = """
        usage:
          Telemetry.Api users set <name> --role <operator|crew|engineer|admin> [--role ...] [--crew <crew> ...] [--generate-password] [--database <file>]
              adds the user, or replaces its password, roles and crews; the password is the first line of standard
              input (at least 12 characters), or with --generate-password a random one, printed once
          Telemetry.Api users list [--database <file>]
        The database is Api:Database from the settings unless --database names it.
        """;

    /// <summary>Runs the command; returns the process exit code (0 done, 2 usage or a refused user).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string? configuredDatabase, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var roles = new List<Role>();
        var crews = new List<string>();
        var positional = new List<string>();
        var generate = false;
        var database = configuredDatabase;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--role" when i + 1 < args.Count && UserStore.Names.Parse(args[i + 1]) is { } role:
                    roles.Add(role);
                    i++;
                    break;
                case "--crew" when i + 1 < args.Count:
                    crews.Add(args[++i]);
                    break;
                case "--database" when i + 1 < args.Count:
                    database = args[++i];
                    break;
                case "--generate-password":
                    generate = true;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Fail(error, $"unknown option or missing value: {option}");
                default:
                    positional.Add(args[i]);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(database))
        {
            return Fail(error, "no database: set Api:Database or pass --database <file>");
        }

        var store = new UserStore(new SqliteDatabase(database), TimeProvider.System);
        try
        {
            switch (positional)
            {
                case ["list"]:
                    foreach (var user in await store.ListAsync(CancellationToken.None))
                    {
                        await output.WriteLineAsync($"{user.Name}\t{string.Join(',', user.Roles.Order().Select(UserStore.Names.Of))}\t{string.Join(',', user.Crews.Order(StringComparer.Ordinal))}");
                    }

                    return 0;
                case ["set", var name]:
                    var password = generate ? Generated() : await input.ReadLineAsync();
                    if (password is null)
                    {
                        return Fail(error, "no password on standard input (or pass --generate-password)");
                    }

                    var saved = await store.SetAsync(name, password, roles, crews, CancellationToken.None);
                    await output.WriteLineAsync($"user {saved.Name}: {string.Join(',', saved.Roles.Order().Select(UserStore.Names.Of))}"
                        + (saved.Crews.Count > 0 ? $" of {string.Join(',', saved.Crews.Order(StringComparer.Ordinal))}" : ""));
                    if (generate)
                    {
                        await output.WriteLineAsync($"password: {password}");
                    }

                    return 0;
                default:
                    return Fail(error, "");
            }
        }
        catch (AccessException refused)
        {
            return Fail(error, refused.Message);
        }
    }

    /// <summary>A random password of 24 characters (144 bits), for a user added or reset without one.</summary>
    public static string Generated() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    private static int Fail(TextWriter error, string message)
    {
        if (message.Length > 0)
        {
            error.WriteLine(message);
        }

        error.WriteLine(Usage);
        return 2;
    }
}
