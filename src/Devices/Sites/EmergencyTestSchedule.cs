namespace Telemetry.Devices.Sites;

/// <summary>
/// When the gateway runs the emergency units' tests by itself: the daily window, the hours a group's building is
/// occupied, how many units of one group may be discharged at once, and how often each test falls due.
/// </summary>
public sealed record EmergencyTestSchedule
{
    /// <summary>Whether the gateway runs the tests at all; when false it runs them only on command.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The local hours a test may run in; a test starts only if it would end inside them.</summary>
    public LocalHours Window { get; init; } = new(TimeSpan.FromHours(9), TimeSpan.FromHours(16));

    /// <summary>Share of one group's units that may be discharged (testing or recharging) at once; one unit always may.</summary>
    public double MaxShareDischarging { get; init; } = 0.5;

    /// <summary>How long a unit counts as discharged after a one-hour or full-duration test ended.</summary>
    public TimeSpan Recharge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often the function test is due (monthly).</summary>
    public TimeSpan FunctionInterval { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often the one-hour test is due (twice a year).</summary>
    public TimeSpan OneHourInterval { get; init; } = TimeSpan.FromDays(182);

    /// <summary>How often the full-duration test is due (yearly).</summary>
    public TimeSpan FullDurationInterval { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Groups with their own share or occupied hours; a group not listed takes the site's share and is never occupied.</summary>
    public IReadOnlyList<EmergencyGroup> Groups { get; init; } = [];

    /// <summary>The share of <paramref name="group"/>'s units that may be discharged at once.</summary>
    public double ShareOf(string group) => Groups.FirstOrDefault(g => g.Id == group)?.MaxShareDischarging ?? MaxShareDischarging;

    /// <summary>The hours in which <paramref name="group"/>'s building is occupied.</summary>
    public IReadOnlyList<OccupiedHours> OccupancyOf(string group) => Groups.FirstOrDefault(g => g.Id == group)?.Occupied ?? [];
}

/// <summary>Hours of a local day, from <paramref name="From"/> up to (not including) <paramref name="To"/>; <c>To</c> may be 24:00.</summary>
public sealed record LocalHours(TimeSpan From, TimeSpan To)
{
    /// <summary>Whether the local span <paramref name="start"/> to <paramref name="end"/> lies within these hours of <paramref name="start"/>'s day.</summary>
    public bool Holds(DateTime start, DateTime end) => start >= start.Date + From && end <= start.Date + To;
}

/// <summary>A group (circuit or building) of emergency units with its own rules.</summary>
/// <param name="Id">The group, as the units' <c>group</c> names it.</param>
/// <param name="MaxShareDischarging">Its share of units discharged at once; null for the site's.</param>
/// <param name="Occupied">When the building is occupied: no test runs then.</param>
public sealed record EmergencyGroup(string Id, double? MaxShareDischarging, IReadOnlyList<OccupiedHours> Occupied);

/// <summary>Hours on given weekdays in which a building is occupied.</summary>
public sealed record OccupiedHours(IReadOnlySet<DayOfWeek> Days, LocalHours Hours)
{
    /// <summary>Whether the local span <paramref name="start"/> to <paramref name="end"/> (within one or two days) meets these hours.</summary>
    public bool Overlaps(DateTime start, DateTime end)
    {
        for (var day = start.Date; day <= end.Date; day = day.AddDays(1))
        {
            if (Days.Contains(day.DayOfWeek) && start < day + Hours.To && end > day + Hours.From)
            {
                return true;
            }
        }

        return false;
    }
}
