namespace Telemetry.BrokerAccess.Principals;

/// <summary>A broker user (the MQTT user name) and the topics it may read and write; anything else is denied.</summary>
public sealed record Principal
{
    public Principal(string name, IReadOnlyList<AclEntry> acl)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"principal '{name}' is not a valid name: {NameRule}", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(acl);
        Name = name;
        Acl = acl;
    }

    /// <summary>What a principal's name may be.</summary>
    public const string NameRule = "1 to 128 characters, ASCII letters, digits, '-', '_' and '.', starting with a letter or digit";

    /// <summary>The MQTT user name; also the name of its credential and certificate files.</summary>
    public string Name { get; }

    /// <summary>The ACL lines under the principal's <c>user</c> line.</summary>
    public IReadOnlyList<AclEntry> Acl { get; }

    /// <summary>
    /// Whether <paramref name="name"/> may name a principal: it becomes a file name and a line of the password file
    /// (where ':' separates the hash), so only a safe alphabet is allowed.
    /// </summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 128 }
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
