using System.Text;
using Telemetry.BrokerAccess.Credentials;
using Telemetry.BrokerAccess.Principals;

namespace Telemetry.BrokerAccess.Mosquitto;

/// <summary>The text of Mosquitto's <c>password_file</c> and <c>acl_file</c>.</summary>
public static class MosquittoFiles
{
    /// <summary>One <c>user:$7$...</c> line per principal, in the given order.</summary>
    public static string PasswordFile(IEnumerable<(string Principal, string Password)> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var text = new StringBuilder();
        foreach (var (principal, password) in credentials)
        {
            text.Append(principal).Append(':').Append(PasswordHash.Create(password)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// A <c>user</c> block per principal. No line precedes the first <c>user</c>, so an anonymous client (were one
    /// let in) could do nothing; a user with no matching line is denied.
    /// </summary>
    public static string AclFile(IEnumerable<Principal> principals)
    {
        ArgumentNullException.ThrowIfNull(principals);
        var text = new StringBuilder("# Made from the site files; rewritten by every setup and rotate. Anything not listed is denied.\n");
        foreach (var principal in principals)
        {
            text.Append('\n').Append("user ").Append(principal.Name).Append('\n');
            foreach (var entry in principal.Acl)
            {
                text.Append(entry).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Writes both files (mode 0600) under <paramref name="directory"/>: <c>passwords</c> and <c>acl</c>.</summary>
    public static void Write(string directory, IReadOnlyList<Principal> principals, CredentialStore credentials)
    {
        ArgumentNullException.ThrowIfNull(principals);
        ArgumentNullException.ThrowIfNull(credentials);
        var passwords = principals.Select(p => (p.Name, credentials.Read(p.Name) ?? throw new InvalidOperationException($"principal '{p.Name}' has no password yet")));
        SecretFile.Write(Path.Combine(directory, "passwords"), PasswordFile(passwords));
        SecretFile.Write(Path.Combine(directory, "acl"), AclFile(principals));
    }
}
