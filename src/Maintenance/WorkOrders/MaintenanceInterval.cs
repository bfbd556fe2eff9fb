using System.Globalization;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>The calendar period an interval counts in.</summary>
public enum IntervalPeriod
{
    /// <summary>An ISO week, Monday to Sunday.</summary>
    Week,

    /// <summary>A calendar month.</summary>
    Month,

    /// <summary>A calendar year, split into equal runs of whole months.</summary>
    Year,
}

/// <summary>
/// How often a task falls due: <see cref="Times"/> per <see cref="Per"/>. Each period is cut into that many equal slots,
/// and the work order of a slot is due on the slot's last day (4 per week: Tuesday, Thursday, Saturday, Sunday;
/// 2 per year: 30 June and 31 December).
/// </summary>
public sealed record MaintenanceInterval(int Times, IntervalPeriod Per)
{
    /// <summary>The problems with this interval, empty when it is valid.</summary>
    public IEnumerable<string> Problems()
    {
        var most = Per switch { IntervalPeriod.Week => 7, IntervalPeriod.Month => 4, _ => 12 };
        if (Times < 1 || Times > most)
        {
            yield return $"times must be 1 to {most} per {Per.ToString().ToLowerInvariant()}, not {Times}";
        }
        else if (Per == IntervalPeriod.Year && 12 % Times != 0)
        {
            yield return $"times per year must split the year into whole months (1, 2, 3, 4, 6 or 12), not {Times}";
        }
    }

    /// <summary>The slots whose due day lies from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public IEnumerable<ScheduleSlot> SlotsDueBetween(DateOnly from, DateOnly to)
    {
        if (Problems().Any())
        {
            throw new InvalidOperationException($"interval {this} is invalid: {string.Join("; ", Problems())}");
        }

        for (var start = PeriodStart(from); start <= to; start = NextPeriod(start))
        {
            var days = NextPeriod(start).DayNumber - start.DayNumber;
            for (var i = 0; i < Times; i++)
            {
                var due = Per == IntervalPeriod.Year
                    ? start.AddMonths(12 * (i + 1) / Times).AddDays(-1)
                    : start.AddDays(((days * (i + 1)) + Times - 1) / Times - 1);
                if (due >= from && due <= to)
                {
                    yield return new ScheduleSlot(Key(start, i), due);
                }
            }
        }
    }

    /// <summary>The first day of the slot that ends on <paramref name="due"/>: the day after the slot before it, or the period's first day.</summary>
    public DateOnly SlotStart(DateOnly due)
    {
        var start = PeriodStart(due);
        return SlotsDueBetween(start, due.AddDays(-1)).Select(s => s.Due.AddDays(1)).DefaultIfEmpty(start).Max();
    }

    public override string ToString() => $"{Times}x per {Per.ToString().ToLowerInvariant()}";

    private DateOnly PeriodStart(DateOnly date) => Per switch
    {
        IntervalPeriod.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        IntervalPeriod.Month => new DateOnly(date.Year, date.Month, 1),
        _ => new DateOnly(date.Year, 1, 1),
    };

    private DateOnly NextPeriod(DateOnly start) => Per switch
    {
        IntervalPeriod.Week => start.AddDays(7),
        IntervalPeriod.Month => start.AddMonths(1),
        _ => start.AddYears(1),
    };

    // The period and the slot in it: 2027-W05, 2027-W05#2/4, 2027-03, 2027, 2027#1/2. The count is part of the key so
    // that slots of a changed interval are new slots, while the slots of one interval are each made once.
    private string Key(DateOnly start, int slot)
    {
        var period = Per switch
        {
            IntervalPeriod.Week => string.Create(CultureInfo.InvariantCulture,
                $"{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):00}"),
            IntervalPeriod.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => start.ToString("yyyy", CultureInfo.InvariantCulture),
        };
        return Times == 1 ? period : string.Create(CultureInfo.InvariantCulture, $"{period}#{slot + 1}/{Times}");
    }
}

/// <summary>One slot of a schedule: its key within the task and asset, and its due day.</summary>
public sealed record ScheduleSlot(string Period, DateOnly Due);
