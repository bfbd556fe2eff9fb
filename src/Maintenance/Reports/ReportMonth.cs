using System.Globalization;

namespace Telemetry.Maintenance.Reports;

/// <summary>A calendar month of the service's time zone, written <c>yyyy-MM</c> (<c>2026-11</c>).</summary>
public readonly record struct ReportMonth
{
    public ReportMonth(int year, int month)
    {
        if (year is < 2000 or > 9998)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "a report month's year is between 2000 and 9998");
        }

        if (month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "a month is 1 to 12");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    public ReportMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    public ReportMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    /// <summary>Reads <c>yyyy-MM</c>; null when the text is not a month.</summary>
    public static ReportMonth? TryParse(string? text) =>
        DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year is >= 2000 and <= 9998
            ? new ReportMonth(parsed.Year, parsed.Month)
            : null;

    /// <summary>The month containing <paramref name="at"/> in <paramref name="zone"/>.</summary>
    public static ReportMonth Containing(DateTimeOffset at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return new(local.Year, local.Month);
    }

    /// <summary>The first instant of the month in <paramref name="zone"/>, as UTC.</summary>
    public DateTimeOffset StartIn(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = new DateTime(Year, Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The month as the half-open range [first instant, first instant of the next month) in <paramref name="zone"/>.</summary>
    public ReportPeriod In(TimeZoneInfo zone) => new(StartIn(zone), Next.StartIn(zone));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}

/// <summary>A half-open span of time [<see cref="From"/>, <see cref="To"/>), UTC.</summary>
public readonly record struct ReportPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    public TimeSpan Length => To - From;
}
