using Telemetry.BrokerAccess.Credentials;
using Telemetry.BrokerAccess.Mosquitto;
using Telemetry.BrokerAccess.Principals;

namespace Telemetry.BrokerAccess;

/// <summary>
/// The broker access of one installation, in its state folder: <c>credentials/{principal}.password</c>,
/// <c>mosquitto/passwords</c> and <c>mosquitto/acl</c> (the broker's <c>password_file</c> and <c>acl_file</c>), and
/// the broker's pid file <c>mosquitto.pid</c> when it runs.
/// </summary>
public sealed class AccessState
{
    public AccessState(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        Credentials = new CredentialStore(Path.Combine(Directory, "credentials"));
    }

    public string Directory { get; }

    public CredentialStore Credentials { get; }

    public string PasswordFile => Path.Combine(Directory, "mosquitto", "passwords");

    public string AclFile => Path.Combine(Directory, "mosquitto", "acl");

    public string BrokerPidFile => Path.Combine(Directory, "mosquitto.pid");

    /// <summary>
    /// Gives every principal without a password one, keeps the others', and rewrites the broker's files for exactly
    /// these principals. Returns the principals whose password was made now.
    /// </summary>
    public IReadOnlyList<string> Setup(IReadOnlyList<Principal> principals)
    {
        ArgumentNullException.ThrowIfNull(principals);
        var created = principals.Where(p => Credentials.Ensure(p.Name).Created).Select(p => p.Name).ToList();
        MosquittoFiles.Write(Path.GetDirectoryName(PasswordFile)!, principals, Credentials);
        return created;
    }

    /// <summary>
    /// A new password for <paramref name="principal"/>, the broker's files rewritten, and a running broker told to
    /// reload them: from then on the old password is refused.
    /// </summary>
    /// <exception cref="AccessRefusedException"><paramref name="principal"/> is not one of <paramref name="principals"/>.</exception>
    public ReloadOutcome Rotate(IReadOnlyList<Principal> principals, string principal)
    {
        ArgumentNullException.ThrowIfNull(principals);
        if (principals.All(p => p.Name != principal))
        {
            throw new AccessRefusedException($"'{principal}' is not a principal of these site files (known: {string.Join(", ", principals.Select(p => p.Name))})");
        }

        foreach (var each in principals.Where(p => p.Name != principal))
        {
            Credentials.Ensure(each.Name);
        }

        Credentials.Renew(principal);
        MosquittoFiles.Write(Path.GetDirectoryName(PasswordFile)!, principals, Credentials);
        return BrokerSignal.Reload(BrokerPidFile);
    }
}
