using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// Which planned work order an emergency test the gateway ran does (domain section 5): the function test is the monthly
/// function check, the one-hour test the half-yearly 1 h test run, the duration test the yearly full discharge. A test
/// that passed or failed was done; an aborted one, or one that could not start, was not. Pure.
/// </summary>
public static class BatteryTestOrders
{
    /// <summary>The outcome of a test the unit passed.</summary>
    public const string Passed = "passed";

    /// <summary>The outcome of a test the unit failed; the fault ticket carries the failure, the test was still done.</summary>
    public const string Failed = "failed";

    /// <summary>The task <paramref name="test"/> (the <c>test</c> attribute of the event) does, or null.</summary>
    public static MaintenanceTask? TaskOf(string? test) => test switch
    {
        BatteryTestNames.Function => MaintenanceTask.EmergencyFunctionCheck,
        BatteryTestNames.OneHour => MaintenanceTask.EmergencyOneHourTest,
        BatteryTestNames.Duration => MaintenanceTask.EmergencyFullDischarge,
        _ => null,
    };

    /// <summary>Whether a test that ended with <paramref name="outcome"/> was done (passed or failed).</summary>
    public static bool WasDone(string? outcome) => outcome is Passed or Failed;

    /// <summary>
    /// The work order of <paramref name="orders"/> (the unit's work orders of the test's task) that <paramref name="test"/>
    /// does: the one it already completed, should it be reported again; else the open one whose slot has begun by the
    /// test's site-local day (the unit's site's time zone), the latest of them when an overdue one is still open (the
    /// test is this slot's, and the missed one stays missed); null when the test is not one that does a task, or no work
    /// order is open for it. The task's <paramref name="interval"/> in force says when each slot begins.
    /// </summary>
    public static WorkOrder? Match(IEnumerable<WorkOrder> orders, GatewayTest test, MaintenanceInterval interval, Site site)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(site);
        if (TaskOf(test.Test) is not { } task || !WasDone(test.Outcome))
        {
            return null;
        }

        var mine = orders.Where(o => o.Task == task).ToList();
        if (mine.FirstOrDefault(o => o.GatewayTest is { } done && done.IsSameTestAs(test)) is { } already)
        {
            return already;
        }

        var day = MaintenancePlan.LocalDay(site, test.FinishedAt);
        return mine
            .Where(o => o.Status.IsOpen() && interval.SlotStart(o.DueDate) <= day)
            .OrderByDescending(o => o.DueDate)
            .ThenByDescending(o => o.Number.ToString(), StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>
    /// The checklist answers the test gives: the items it checked, found in order when it passed; the others (whether
    /// the unit recharges afterwards) stay for the crew's next visit.
    /// </summary>
    public static IReadOnlyDictionary<string, bool> Checklist(MaintenanceTask task, bool passed) => task switch
    {
        MaintenanceTask.EmergencyFunctionCheck => new Dictionary<string, bool>(StringComparer.Ordinal) { ["switches_to_battery"] = passed, ["lamps_light_on_battery"] = passed },
        MaintenanceTask.EmergencyOneHourTest => new Dictionary<string, bool>(StringComparer.Ordinal) { ["ran_one_hour"] = passed },
        MaintenanceTask.EmergencyFullDischarge => new Dictionary<string, bool>(StringComparer.Ordinal) { ["ran_rated_duration"] = passed },
        _ => new Dictionary<string, bool>(StringComparer.Ordinal),
    };

    /// <summary>The readings of the task that the test measured (runtime in minutes, the battery voltage at the end).</summary>
    public static IReadOnlyDictionary<string, double> Readings(MaintenanceTask task, GatewayTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var allowed = task.RequiredReadings().Concat(task.OptionalReadings()).ToHashSet(StringComparer.Ordinal);
        var readings = new Dictionary<string, double>(StringComparer.Ordinal);
        if (allowed.Contains("runtime_min") && test.RuntimeSeconds is { } runtime && double.IsFinite(runtime) && runtime >= 0)
        {
            readings["runtime_min"] = Math.Round(runtime / 60, 1);
        }

        if (allowed.Contains("battery_voltage_v") && test.EndVolts is { } volts && double.IsFinite(volts) && volts >= 0)
        {
            readings["battery_voltage_v"] = volts;
        }

        return readings;
    }
}
