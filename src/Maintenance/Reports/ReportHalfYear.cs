using System.Globalization;

namespace Telemetry.Maintenance.Reports;

/// <summary>A half year of the service's time zone, written <c>2026-H1</c> (January to June) or <c>2026-H2</c> (July to December).</summary>
public readonly record struct ReportHalfYear
{
    public ReportHalfYear(int year, int half)
    {
        if (half is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(half), half, "a half year is 1 or 2");
        }

        First = new ReportMonth(year, half == 1 ? 1 : 7);
        Year = year;
        Half = half;
    }

    public int Year { get; }

    public int Half { get; }

    /// <summary>The half's first month.</summary>
    public ReportMonth First { get; }

    public ReportHalfYear Previous => Half == 2 ? new(Year, 1) : new(Year - 1, 2);

    /// <summary>Reads <c>yyyy-H1</c> or <c>yyyy-H2</c>; null when the text is not one.</summary>
    public static ReportHalfYear? TryParse(string? text) =>
        text is { Length: 7 } && text[4] == '-' && text[5] is 'H' or 'h' && text[6] is '1' or '2'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2001 and <= 9998
            ? new ReportHalfYear(year, text[6] - '0')
            : null;

    /// <summary>The half containing <paramref name="at"/> in <paramref name="zone"/>.</summary>
    public static ReportHalfYear Containing(DateTimeOffset at, TimeZoneInfo zone)
    {
        var month = ReportMonth.Containing(at, zone);
        return new(month.Year, month.Month <= 6 ? 1 : 2);
    }

    /// <summary>The half as [its first instant, the next half's first instant) in <paramref name="zone"/>.</summary>
    public ReportPeriod In(TimeZoneInfo zone)
    {
        var next = Half == 1 ? new ReportMonth(Year, 7) : new ReportMonth(Year + 1, 1);
        return new(First.StartIn(zone), next.StartIn(zone));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-H{Half}");
}
