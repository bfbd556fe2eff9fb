using Telemetry.BrokerAccess.Principals;

namespace Telemetry.BrokerAccess.Credentials;

/// <summary>
/// One password file per principal (<c>{state}/credentials/{principal}.password</c>, mode 0600): what a service or a
/// gateway reads to log in, and what the broker's password file is made from.
/// </summary>
public sealed class CredentialStore
{
    public CredentialStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The folder of the credential files.</summary>
    public string Directory { get; }

    /// <summary>Where the password of <paramref name="principal"/> is (or would be) kept.</summary>
    public string PathOf(string principal) => Path.Combine(Directory, Checked(principal) + ".password");

    /// <summary>The stored password, or null when the principal has none yet.</summary>
    public string? Read(string principal)
    {
        var path = PathOf(principal);
        if (!File.Exists(path))
        {
            return null;
        }

        var password = File.ReadAllText(path).TrimEnd('\r', '\n');
        return password.Length > 0 ? password : null;
    }

    /// <summary>The stored password; a new one, stored now, when there is none. Returns whether it was made now.</summary>
    public (string Password, bool Created) Ensure(string principal)
    {
        if (Read(principal) is { } existing)
        {
            return (existing, false);
        }

        return (Renew(principal), true);
    }

    /// <summary>Replaces the principal's password with a new random one and returns it.</summary>
    public string Renew(string principal)
    {
        var password = PasswordGenerator.Next();
        SecretFile.Write(PathOf(principal), password + "\n");
        return password;
    }

    private static string Checked(string principal) =>
        Principal.IsValidName(principal) ? principal : throw new ArgumentException($"principal '{principal}' is not a valid name: {Principal.NameRule}", nameof(principal));
}
