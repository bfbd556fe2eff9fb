using System.Globalization;
using System.Text.RegularExpressions;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// A work order's number: <c>PM</c>, the two-digit year and month it is due in, and a sequence without gaps within that
/// month, e.g. <c>PM2703-0042</c>; apart from ticket numbers at a glance.
/// </summary>
public sealed partial record WorkOrderNumber
{
    private WorkOrderNumber(int year, int month, int sequence)
    {
        Year = year;
        Month = month;
        Sequence = sequence;
    }

    public int Year { get; }

    public int Month { get; }

    public int Sequence { get; }

    /// <summary>The month the sequence runs in, <c>2703</c>.</summary>
    public string Period => string.Create(CultureInfo.InvariantCulture, $"{Year % 100:00}{Month:00}");

    public static WorkOrderNumber Create(DateOnly due, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return new WorkOrderNumber(due.Year, due.Month, sequence);
    }

    public static bool TryParse(string? text, out WorkOrderNumber number)
    {
        number = null!;
        var match = text is null ? null : Pattern().Match(text);
        if (match is not { Success: true })
        {
            return false;
        }

        var month = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var sequence = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || sequence < 1)
        {
            return false;
        }

        number = new WorkOrderNumber(2000 + int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), month, sequence);
        return true;
    }

    public static WorkOrderNumber Parse(string text) =>
        TryParse(text, out var number) ? number : throw new FormatException($"'{text}' is not a work order number (PMyymm-nnnn)");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"PM{Period}-{Sequence:0000}");

    [GeneratedRegex("^PM([0-9]{2})([0-9]{2})-([0-9]{4,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
