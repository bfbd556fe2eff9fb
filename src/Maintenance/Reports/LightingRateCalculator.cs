namespace Telemetry.Maintenance.Reports;

/// <summary>
/// The lamp lighting rate (亮灯率), time-weighted over the hours the lighting was due on.
/// <para>
/// Each of a unit's three values (lamps lit, lamps installed, commanded on) is a step function: a reading holds from
/// its time until the next reading of the same value, but for at most <see cref="HoldLimit"/>; after that the value is
/// unknown until the next reading. The period is cut where any value changes or expires. On a piece where every value
/// is known and the lighting is commanded on, the piece is due: it adds its length to the due hours, lamps installed
/// times its length to the lamp-hours due, and lamps lit (at least 0, at most those installed) times its length to the
/// lamp-hours lit. A piece where any value is unknown adds to the unmonitored hours only: it is neither lit nor dark.
/// The rate is lamp-hours lit over lamp-hours due, summed over units; none when nothing was due.
/// </para>
/// </summary>
public sealed class LightingRateCalculator
{
    /// <summary>The default <see cref="HoldLimit"/>: a reading older than this says nothing about now.</summary>
    public static readonly TimeSpan DefaultHoldLimit = TimeSpan.FromMinutes(15);

    public LightingRateCalculator(TimeSpan? holdLimit = null)
    {
        HoldLimit = holdLimit ?? DefaultHoldLimit;
        if (HoldLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(holdLimit), holdLimit, "a reading holds for a positive time");
        }
    }

    /// <summary>How long a reading stands for the value when no newer one comes.</summary>
    public TimeSpan HoldLimit { get; }

    /// <summary>The figures of every unit over <paramref name="period"/>, and their sum.</summary>
    public LightingFigures Compute(IEnumerable<LampSeries> units, ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(units);
        var figures = units.Select(u => Compute(u, period)).OrderBy(u => u.Asset, StringComparer.Ordinal).ToList();
        return new LightingFigures(
            figures.Sum(u => u.DueHours),
            figures.Sum(u => u.LampHoursDue),
            figures.Sum(u => u.LampHoursLit),
            figures.Sum(u => u.UnmonitoredHours),
            figures);
    }

    /// <summary>One unit's figures over <paramref name="period"/>.</summary>
    public LightingUnitFigures Compute(LampSeries unit, ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var lit = Steps(unit.Lit);
        var installed = Steps(unit.Installed);
        var commanded = Steps(unit.Commanded);

        var cuts = new SortedSet<DateTimeOffset> { period.From, period.To };
        foreach (var at in lit.Select(r => r.At).Concat(installed.Select(r => r.At)).Concat(commanded.Select(r => r.At)))
        {
            AddCut(cuts, at, period);
            AddCut(cuts, at + HoldLimit, period);
        }

        double dueHours = 0, lampHoursDue = 0, lampHoursLit = 0, unmonitoredHours = 0;
        DateTimeOffset? previous = null;
        foreach (var cut in cuts)
        {
            if (previous is { } start)
            {
                var hours = (cut - start).TotalHours;
                var on = ValueAt(commanded, start);
                var lamps = ValueAt(installed, start);
                var lampsLit = ValueAt(lit, start);
                if (on is null || lamps is null || lampsLit is null)
                {
                    unmonitoredHours += hours;
                }
                else if (on.Value.Value)
                {
                    var count = Math.Max(0, lamps.Value.Value);
                    dueHours += hours;
                    lampHoursDue += count * hours;
                    lampHoursLit += Math.Clamp(lampsLit.Value.Value, 0, count) * hours;
                }
            }

            previous = cut;
        }

        return new LightingUnitFigures(unit.Asset.Key, unit.Crew, dueHours, lampHoursDue, lampHoursLit, unmonitoredHours);
    }

    private static void AddCut(SortedSet<DateTimeOffset> cuts, DateTimeOffset at, ReportPeriod period)
    {
        if (at > period.From && at < period.To)
        {
            cuts.Add(at);
        }
    }

    // In time order; of two readings at the same time the later given wins (OrderBy is stable).
    private static List<StepReading<T>> Steps<T>(IReadOnlyList<StepReading<T>> readings) => [.. readings.OrderBy(r => r.At)];

    // The reading standing at `at`: the last at or before it, if not older than the hold limit.
    private StepReading<T>? ValueAt<T>(List<StepReading<T>> steps, DateTimeOffset at)
        where T : struct
    {
        var low = 0;
        var high = steps.Count - 1;
        var found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (steps[middle].At <= at)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found >= 0 && at - steps[found].At < HoldLimit ? steps[found] : null;
    }
}

/// <summary>A lighting rate's sums over many units, and each unit's own.</summary>
public sealed record LightingFigures(
    double DueHours,
    double LampHoursDue,
    double LampHoursLit,
    double UnmonitoredHours,
    IReadOnlyList<LightingUnitFigures> Units)
{
    /// <summary>Lamp-hours lit over lamp-hours due, 0 to 1; null when no lamp was due.</summary>
    public double? Rate => LampHoursDue > 0 ? LampHoursLit / LampHoursDue : null;
}

/// <summary>One unit's lighting figures: hours due on, lamp-hours due and lit, hours with a value unknown.</summary>
public sealed record LightingUnitFigures(
    string Asset,
    string? Crew,
    double DueHours,
    double LampHoursDue,
    double LampHoursLit,
    double UnmonitoredHours)
{
    /// <summary>Lamp-hours lit over lamp-hours due, 0 to 1; null when no lamp was due.</summary>
    public double? Rate => LampHoursDue > 0 ? LampHoursLit / LampHoursDue : null;
}
