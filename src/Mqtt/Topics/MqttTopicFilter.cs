using Telemetry.Mqtt.Formatter;

namespace Telemetry.Mqtt;

/// <summary>
/// Topic filter validation and matching (MQTT 5.0 sections 4.7 and 4.8.2): <c>+</c> matches exactly one level,
/// <c>#</c> (last, alone in its level) matches the parent level and any number of child levels, topics starting
/// with <c>$</c> are not matched by a filter starting with a wildcard, and a shared subscription
/// <c>$share/{group}/{filter}</c> matches what its inner filter matches.
/// </summary>
public static class MqttTopicFilter
{
    private const string SharePrefix = "$share/";

    /// <summary>Whether <paramref name="topic"/> is matched by <paramref name="filter"/>.</summary>
    /// <exception cref="ArgumentException">The filter or the topic name is not valid.</exception>
    public static bool Matches(string filter, string topic)
    {
        Validate(filter);
        MqttTopicName.Validate(topic);
        var inner = TryParseShared(filter, out _, out var sharedFilter) ? sharedFilter : filter;
        if (topic[0] == '$' && inner[0] is '+' or '#')
        {
            return false;
        }

        return MatchLevels(inner.AsSpan(), topic.AsSpan());
    }

    /// <summary>Whether <paramref name="filter"/> is a valid topic filter (shared subscriptions included).</summary>
    public static bool IsValid(string? filter) => Check(filter) is null;

    /// <summary>Throws <see cref="ArgumentException"/> explaining why <paramref name="filter"/> is not a valid topic filter.</summary>
    public static void Validate(string? filter)
    {
        if (Check(filter) is { } problem)
        {
            throw new ArgumentException($"Invalid topic filter '{filter}': {problem}", nameof(filter));
        }
    }

    /// <summary>Whether <paramref name="filter"/> is a shared subscription, and its share name and inner filter.</summary>
    public static bool TryParseShared(string filter, out string shareName, out string innerFilter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        shareName = "";
        innerFilter = "";
        if (!filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = filter.IndexOf('/', SharePrefix.Length);
        if (slash < 0)
        {
            return false;
        }

        shareName = filter[SharePrefix.Length..slash];
        innerFilter = filter[(slash + 1)..];
        return true;
    }

    private static string? Check(string? filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return "it is empty.";
        }

        if (!MqttEncoding.IsValidString(filter))
        {
            return "it is not a valid MQTT string (UTF-8, no U+0000, at most 65535 bytes).";
        }

        if (filter.StartsWith(SharePrefix, StringComparison.Ordinal) || filter == "$share")
        {
            if (!TryParseShared(filter, out var shareName, out var inner))
            {
                return "a shared subscription is $share/{ShareName}/{filter}.";
            }

            if (shareName.Length == 0 || shareName.AsSpan().IndexOfAny('+', '#') >= 0)
            {
                return "the share name must be non-empty and must not contain '/', '+' or '#'.";
            }

            if (inner.Length == 0)
            {
                return "the filter of a shared subscription must not be empty.";
            }

            filter = inner;
        }

        var levelStart = 0;
        for (var i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }

            var level = filter.AsSpan(levelStart, i - levelStart);
            if (level.Length > 1 && level.IndexOfAny('+', '#') >= 0)
            {
                return "wildcards must occupy an entire level.";
            }

            if (level.Length == 1 && level[0] == '#' && i != filter.Length)
            {
                return "'#' must be the last level.";
            }

            levelStart = i + 1;
        }

        return null;
    }

    private static bool MatchLevels(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        while (true)
        {
            var filterSlash = filter.IndexOf('/');
            var filterLevel = filterSlash < 0 ? filter : filter[..filterSlash];
            if (filterLevel.Length == 1 && filterLevel[0] == '#')
            {
                return true;
            }

            var topicSlash = topic.IndexOf('/');
            var topicLevel = topicSlash < 0 ? topic : topic[..topicSlash];
            if (!(filterLevel.Length == 1 && filterLevel[0] == '+') && !filterLevel.SequenceEqual(topicLevel))
            {
                return false;
            }

            if (filterSlash < 0 || topicSlash < 0)
            {
                if (filterSlash < 0 && topicSlash < 0)
                {
                    return true;
                }

                // "a/#" matches "a": the filter continues with exactly "/#" while the topic ended.
                return topicSlash < 0 && filter[(filterSlash + 1)..] is "#";
            }

            filter = filter[(filterSlash + 1)..];
            topic = topic[(topicSlash + 1)..];
        }
    }
}

/// <summary>Topic name validation (MQTT 5.0 section 4.7.3): non-empty, no wildcards, a valid MQTT string.</summary>
public static class MqttTopicName
{
    /// <summary>Whether <paramref name="topic"/> is a valid topic name to publish to.</summary>
    public static bool IsValid(string? topic) =>
        !string.IsNullOrEmpty(topic) && topic.AsSpan().IndexOfAny('+', '#') < 0 && MqttEncoding.IsValidString(topic);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="topic"/> is not a valid topic name.</summary>
    public static void Validate(string? topic)
    {
        if (!IsValid(topic))
        {
            throw new ArgumentException(
                $"Invalid topic name '{topic}': it must be non-empty, contain no '+' or '#', and be a valid MQTT string.",
                nameof(topic));
        }
    }
}
