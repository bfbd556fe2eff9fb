using System.Globalization;

namespace Telemetry.Contracts;

/// <summary>
/// The envelope every command on <c>{root}/{site}/{gateway}/cmd/{device}</c> carries beside its action: <c>id</c> (an
/// identifier, at most 64 characters, never used twice), <c>issuer</c> (the user who asked), <c>issued</c> and
/// <c>expires</c> (RFC 3339 UTC with milliseconds, like every contract time). A gateway refuses a command without it,
/// one past <c>expires</c>, one issued in its future, one that lives longer than it remembers ids, and an id it has
/// seen. The Api and the gateway read the fields through this one type.
/// </summary>
public static class CommandEnvelope
{
    /// <summary>The longest issuer name.</summary>
    public const int MaxIssuerLength = 128;

    public const string IdRule = "an identifier: " + Identifiers.Rule;

    public const string IssuerRule = "the user who asked: 1 to 128 characters, no control characters";

    public const string TimeRule = "RFC 3339 in UTC with milliseconds, such as 2026-11-22T19:00:04.981Z";

    public static bool IsValidIssuer(string? issuer) =>
        !string.IsNullOrEmpty(issuer) && issuer.Length <= MaxIssuerLength && !issuer.Any(char.IsControl);

    /// <summary>A time as the envelope writes it.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(UtcMillisecondsJsonConverter.Format, CultureInfo.InvariantCulture);

    /// <summary>Reads an envelope time: exactly the contract's form, so that every reader agrees on the instant.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is null || text.Length != 24
            || !DateTime.TryParseExact(text, UtcMillisecondsJsonConverter.Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            return false;
        }

        time = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    /// <summary>What is wrong with the envelope's fields, one text per field; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(string? id, string? issuer, string? issued, string? expires)
    {
        var problems = new List<string>();
        if (!Identifiers.IsValid(id))
        {
            problems.Add(id is null ? "'id' is missing" : $"'id' must be {IdRule}");
        }

        if (!IsValidIssuer(issuer))
        {
            problems.Add(issuer is null ? "'issuer' is missing" : $"'issuer' must be {IssuerRule}");
        }

        if (!TryParseTime(issued, out _))
        {
            problems.Add(issued is null ? "'issued' is missing" : $"'issued' must be {TimeRule}");
        }

        if (!TryParseTime(expires, out _))
        {
            problems.Add(expires is null ? "'expires' is missing" : $"'expires' must be {TimeRule}");
        }

        return problems;
    }
}
