using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Telemetry.Maintenance.Tickets;

/// <summary>
/// A ticket's number, <c>{unit}{YY}{MM}-{seq}</c> such as <c>YW2611-0007</c>: the service unit's code, the year and
/// month the ticket was opened, and a sequence that runs without gaps within the month (at least four digits).
/// </summary>
public readonly record struct TicketNumber : IParsable<TicketNumber>
{
    public const int MaxUnitLength = 8;

    public const string UnitRule = "1 to 8 upper-case letters A-Z or digits 0-9";

    public const string Rule = "{unit}{YY}{MM}-{seq}: a unit code of " + UnitRule
        + ", a two-digit year, a two-digit month 01-12, a dash and a sequence of at least four digits from 0001, without extra leading zeros";

    private const int MinSequenceDigits = 4;

    public TicketNumber(string unit, int year, int month, int sequence)
    {
        if (!IsValidUnit(unit))
        {
            throw new ArgumentException($"'{unit}' is not a service-unit code: {UnitRule}", nameof(unit));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(year);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 99);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        Unit = unit;
        Year = year;
        Month = month;
        Sequence = sequence;
    }

    /// <summary>The service unit's code, e.g. <c>YW</c>.</summary>
    public string Unit { get; }

    /// <summary>The two-digit year, 0-99.</summary>
    public int Year { get; }

    /// <summary>The month, 1-12.</summary>
    public int Month { get; }

    /// <summary>The place in the month, from 1.</summary>
    public int Sequence { get; }

    /// <summary>The number's month, <c>{YY}{MM}</c>, the key its sequence runs in with <see cref="Unit"/>.</summary>
    public string Period => Format(Year, Month);

    /// <summary>Whether <paramref name="unit"/> is a valid service-unit code (<see cref="UnitRule"/>).</summary>
    public static bool IsValidUnit([NotNullWhen(true)] string? unit) =>
        !string.IsNullOrEmpty(unit) && unit.Length <= MaxUnitLength && unit.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));

    /// <summary>The <c>{YY}{MM}</c> period a ticket opened at <paramref name="at"/> is numbered in, in the service unit's time zone.</summary>
    public static string PeriodOf(DateTimeOffset at, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var local = TimeZoneInfo.ConvertTime(at, timeZone);
        return Format(local.Year % 100, local.Month);
    }

    /// <summary>The <paramref name="sequence"/>-th number of <paramref name="unit"/> in <paramref name="period"/> (<c>YYMM</c>).</summary>
    public static TicketNumber InPeriod(string unit, string period, int sequence)
    {
        if (period is not { Length: 4 } || !period.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{period}' is not a YYMM period", nameof(period));
        }

        return new TicketNumber(unit, Two(period, 0), Two(period, 2), sequence);
    }

    public static TicketNumber Parse(string s) =>
        TryParse(s, out var number, out var error) ? number : throw new FormatException($"'{s}' is not a ticket number: {error}");

    public static TicketNumber Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out TicketNumber result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TicketNumber result) => TryParse(s, out result);

    /// <summary>Parses a number, or says which part of <see cref="Rule"/> the text breaks.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out TicketNumber result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        error = Check(s);
        if (error is not null)
        {
            return false;
        }

        var dash = s!.IndexOf('-', StringComparison.Ordinal);
        result = new TicketNumber(s[..(dash - 4)], Two(s, dash - 4), Two(s, dash - 2), int.Parse(s.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }

    public override string ToString() =>
        Unit is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Unit}{Period}-{Sequence:0000}");

    private static string? Check(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "it is empty; expected " + Rule;
        }

        var dash = s.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return "there is no dash before the sequence; expected " + Rule;
        }

        if (dash < 5)
        {
            return "the part before the dash must be a unit code followed by YYMM; expected " + Rule;
        }

        var unit = s[..(dash - 4)];
        if (!IsValidUnit(unit))
        {
            return $"the unit code '{unit}' is not {UnitRule}";
        }

        if (s.AsSpan(dash - 4, 4).ContainsAnyExceptInRange('0', '9'))
        {
            return $"'{s.Substring(dash - 4, 4)}' is not a YYMM year and month";
        }

        if (Two(s, dash - 2) is < 1 or > 12)
        {
            return $"the month '{s.Substring(dash - 2, 2)}' is not 01-12";
        }

        var sequence = s.AsSpan(dash + 1);
        if (sequence.Length < MinSequenceDigits || sequence.ContainsAnyExceptInRange('0', '9'))
        {
            return $"the sequence '{sequence}' is not at least {MinSequenceDigits} digits";
        }

        if (sequence.Length > MinSequenceDigits && sequence[0] == '0')
        {
            return $"the sequence '{sequence}' has more than {MinSequenceDigits} digits and a leading zero";
        }

        if (!int.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            return $"the sequence '{sequence}' is not between 0001 and {int.MaxValue}";
        }

        return null;
    }

    private static string Format(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"{year:00}{month:00}");

    private static int Two(string s, int at) => ((s[at] - '0') * 10) + (s[at + 1] - '0');
}
