namespace Telemetry.BrokerAccess.Principals;

/// <summary>One <c>topic</c> line of a principal's ACL.</summary>
/// <param name="Access">What the line allows.</param>
/// <param name="TopicFilter">The topic filter; <c>+</c> and <c>#</c> wildcards as in subscriptions.</param>
public sealed record AclEntry(TopicAccess Access, string TopicFilter)
{
    /// <summary>Reads <c>topic read|write|readwrite &lt;filter&gt;</c>.</summary>
    /// <exception cref="FormatException">The line is not of that form, or the filter is not a valid MQTT topic filter.</exception>
    public static AclEntry Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not ["topic", var access, var filter])
        {
            throw new FormatException($"'{line}' is not an ACL line: expected 'topic read|write|readwrite <filter>'");
        }

        var parsed = access switch
        {
            "read" => TopicAccess.Read,
            "write" => TopicAccess.Write,
            "readwrite" => TopicAccess.ReadWrite,
            _ => throw new FormatException($"'{line}': access must be read, write or readwrite, not '{access}'"),
        };
        return new AclEntry(parsed, CheckedFilter(filter, line));
    }

    /// <summary>The line as the ACL file holds it.</summary>
    public override string ToString() => $"topic {Spelling(Access)} {TopicFilter}";

    private static string Spelling(TopicAccess access) => access switch
    {
        TopicAccess.Read => "read",
        TopicAccess.Write => "write",
        TopicAccess.ReadWrite => "readwrite",
        _ => throw new ArgumentOutOfRangeException(nameof(access), access, "unknown access"),
    };

    private static string CheckedFilter(string filter, string line)
    {
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            var wildcardMisused = (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                || (level.Contains('+', StringComparison.Ordinal) && level != "+");
            if (wildcardMisused || level.Contains('\0', StringComparison.Ordinal))
            {
                throw new FormatException($"'{line}': '{filter}' is not a valid topic filter ('+' fills a whole level, '#' only the last)");
            }
        }

        return filter;
    }
}
