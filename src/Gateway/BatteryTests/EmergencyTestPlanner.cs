using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.Gateway.BatteryTests;

/// <summary>What the gateway reads of an emergency unit before it plans: whether a test could start on it now.</summary>
public enum UnitCondition
{
    /// <summary>Mains present, charger sound, no test running.</summary>
    Ready,

    /// <summary>The mains is lost: a test would discharge the battery with nothing to recharge it.</summary>
    MainsAbsent,

    /// <summary>The charger reports a fault.</summary>
    Faulty,

    /// <summary>A test is running on the unit.</summary>
    Testing,

    /// <summary>The unit could not be read.</summary>
    Unknown,
}

/// <summary>An emergency unit as the planner sees it.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Group">Its circuit or building; null when it shares none with another unit.</param>
/// <param name="Condition">What was read of it now.</param>
/// <param name="History">Its tests as the gateway's ledger knows them.</param>
/// <param name="RatedDuration">How long its full-duration test runs.</param>
public sealed record EmergencyUnitState(string Id, string? Group, UnitCondition Condition, UnitTestHistory History, TimeSpan RatedDuration);

/// <summary>A test to start now.</summary>
public sealed record PlannedTest(string Unit, BatteryTestKind Kind);

/// <summary>A due test that cannot start for a reason worth recording (<see cref="BatteryTestNames.MainsAbsent"/>, <see cref="BatteryTestNames.UnitFaulty"/>).</summary>
public sealed record Postponement(string Unit, BatteryTestKind Kind, string Reason);

/// <summary>What to do now: tests to start and postponements to record.</summary>
public sealed record TestPlan(IReadOnlyList<PlannedTest> Starts, IReadOnlyList<Postponement> Postponed);

/// <summary>
/// Decides which automatic emergency tests start now. The longest due test of a unit runs (a full-duration test
/// stands for that period's one-hour and function tests; a one-hour test for the function test), only inside the
/// site's window and outside the unit's group's occupied hours for the whole expected length of the test, never twice
/// on one local day, and only while fewer than the group's share of units are discharged (testing, or recharging after
/// a discharge test); at least one unit of a group may always test. A due unit without mains, or faulty (charger fault,
/// or its last test failed), is postponed; a unit that is only outside the window or waits for its group is not.
/// </summary>
public static class EmergencyTestPlanner
{
    /// <summary>The time a function test is given in the window.</summary>
    public static readonly TimeSpan FunctionAllowance = TimeSpan.FromMinutes(10);

    /// <summary>The time a one-hour test is given in the window.</summary>
    public static readonly TimeSpan OneHourAllowance = TimeSpan.FromMinutes(70);

    /// <summary>What a full-duration test is given beyond the rated duration.</summary>
    public static readonly TimeSpan DurationMargin = TimeSpan.FromMinutes(10);

    /// <summary>How long a discharge test whose end was never seen (the gateway stopped) counts as running.</summary>
    public static readonly TimeSpan UnfinishedDischarge = TimeSpan.FromHours(4);

    public static TestPlan Plan(IReadOnlyList<EmergencyUnitState> units, EmergencyTestSchedule schedule, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(zone);
        var starts = new List<PlannedTest>();
        var postponed = new List<Postponement>();
        if (!schedule.Enabled)
        {
            return new TestPlan(starts, postponed);
        }

        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        foreach (var group in units.GroupBy(u => u.Group ?? "unit:" + u.Id, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var share = group.Key.StartsWith("unit:", StringComparison.Ordinal) ? 1 : schedule.ShareOf(group.Key);
            var allowed = Math.Max(1, (int)Math.Floor((share * members.Count) + 1e-9));
            var discharged = members.Count(u => IsDischarged(u, schedule, now));

            // The most overdue first, so that a unit kept waiting by its group is not overtaken every day.
            var due = members
                .Select(u => (Unit: u, Kind: Due(u.History, schedule, zone, local)))
                .Where(d => d.Kind is not null)
                .OrderBy(d => d.Unit.History.LastCovering(d.Kind!.Value) ?? DateTimeOffset.MinValue)
                .ThenBy(d => d.Unit.Id, StringComparer.Ordinal);
            foreach (var (unit, kind) in due)
            {
                var length = kind switch
                {
                    BatteryTestKind.Duration => unit.RatedDuration + DurationMargin,
                    BatteryTestKind.OneHour => OneHourAllowance,
                    _ => FunctionAllowance,
                };
                if (unit.Condition is UnitCondition.Testing or UnitCondition.Unknown
                    || (unit.History.LastStarted is { } started && TimeZoneInfo.ConvertTime(started, zone).Date == local.Date)
                    || !schedule.Window.Holds(local, local + length)
                    || (unit.Group is { } g && schedule.OccupancyOf(g).Any(o => o.Overlaps(local, local + length))))
                {
                    continue;
                }

                var reason = unit.Condition switch
                {
                    UnitCondition.MainsAbsent => BatteryTestNames.MainsAbsent,
                    UnitCondition.Faulty => BatteryTestNames.UnitFaulty,
                    _ when unit.History.LastFailed => BatteryTestNames.UnitFaulty,
                    _ => null,
                };
                if (reason is not null)
                {
                    postponed.Add(new Postponement(unit.Id, kind!.Value, reason));
                    continue;
                }

                if (discharged >= allowed)
                {
                    continue;
                }

                starts.Add(new PlannedTest(unit.Id, kind!.Value));
                discharged++;
            }
        }

        return new TestPlan(starts, postponed);
    }

    /// <summary>Whether the unit counts against its group's share now: testing, or recharging after a discharge test.</summary>
    public static bool IsDischarged(EmergencyUnitState unit, EmergencyTestSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(schedule);
        return unit.Condition == UnitCondition.Testing || unit.History.DischargedUntil(schedule.Recharge, UnfinishedDischarge) > now;
    }

    /// <summary>The longest test due on the local day of <paramref name="local"/>, or null.</summary>
    public static BatteryTestKind? Due(UnitTestHistory history, EmergencyTestSchedule schedule, TimeZoneInfo zone, DateTime local)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(schedule);
        foreach (var (kind, interval) in new[] { (BatteryTestKind.Duration, schedule.FullDurationInterval), (BatteryTestKind.OneHour, schedule.OneHourInterval), (BatteryTestKind.Function, schedule.FunctionInterval) })
        {
            // Counted in local days, so that a test done late one day is not due later in the day each period.
            if (history.LastCovering(kind) is not { } last || local.Date >= TimeZoneInfo.ConvertTime(last, zone).Date.AddDays(Math.Round(interval.TotalDays)))
            {
                return kind;
            }
        }

        return null;
    }
}
