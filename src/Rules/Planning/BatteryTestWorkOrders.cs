using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Rules.Configuration;

namespace Telemetry.Rules.Planning;

/// <summary>
/// Completes the crew's planned emergency-lighting work order when the gateway reports the test done
/// (<c>battery_test_finished</c>, passed or failed, on its schedule or by command: either way the unit was tested, and
/// a failure is carried by its fault ticket). The test matches the unit's open work order of its task whose slot has
/// begun (<see cref="BatteryTestOrders.Match"/>); the same event delivered again finds the work order it completed and
/// changes nothing, so the consumer may judge it as often as the broker sends it.
/// </summary>
public sealed partial class BatteryTestWorkOrders(
    IWorkOrderStore workOrders,
    IMaintenanceIntervalStore intervals,
    PlantFiles plant,
    ILogger<BatteryTestWorkOrders> logger)
{
    // A test completes a work order due at most this long before it: older ones are not looked at.
    private const int YearsBack = 2;

    /// <summary>Whether <paramref name="gatewayEvent"/> is a finished test this may complete a work order with.</summary>
    public static bool Concerns(GatewayEvent gatewayEvent)
    {
        ArgumentNullException.ThrowIfNull(gatewayEvent);
        return gatewayEvent.Kind == EventKinds.BatteryTestFinished && gatewayEvent.Device is not null;
    }

    /// <summary>
    /// Completes the work order the test of <paramref name="finished"/> did, if one is open for it. Returns the work order
    /// the test completed, now or before; null when there is none. Throws what the store throws.
    /// </summary>
    public async Task<WorkOrder?> RecordAsync(string site, string gateway, GatewayEvent finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finished);
        if (!Concerns(finished) || finished.Attributes is not { } attributes
            || !attributes.TryGetValue("test", out var name) || BatteryTestOrders.TaskOf(name) is not { } task
            || !attributes.TryGetValue("outcome", out var outcome) || !BatteryTestOrders.WasDone(outcome))
        {
            return null;
        }

        if (plant.Sites.FirstOrDefault(s => s.Id == site) is not { } plantSite
            || plantSite.FindDevice(finished.Device!) is not { Family: DeviceFamily.EmergencyBattery } device)
        {
            return null;
        }

        var test = new GatewayTest(
            gateway,
            name,
            outcome,
            attributes.TryGetValue("trigger", out var trigger) ? trigger : BatteryTestNames.Schedule,
            finished.Ts,
            Number(finished, "runtime_s"),
            name == BatteryTestNames.OneHour ? 3600 : Number(finished, "rated_duration_min") * 60,
            EndVolts(finished),
            string.IsNullOrWhiteSpace(finished.Message) ? null : finished.Message);
        var asset = new AssetRef(plantSite.Id, device.GatewayId, device.Id);
        var day = MaintenancePlan.LocalDay(plantSite, test.FinishedAt);
        var orders = await workOrders.ListAsync(
            new WorkOrderQuery { AssetKey = asset.Key, Task = task, DueFrom = day.AddYears(-YearsBack), Limit = WorkOrderQuery.MaxLimit },
            cancellationToken).ConfigureAwait(false);
        var inForce = await intervals.LoadAsync(cancellationToken).ConfigureAwait(false);
        var interval = inForce.TryGetValue(task, out var set) ? set : task.DefaultInterval();
        if (BatteryTestOrders.Match(orders, test, interval, plantSite) is not { } match)
        {
            LogNoWorkOrder(logger, name, outcome, asset.Key, task.ToName());
            return null;
        }

        if (match.GatewayTest is { } done && done.IsSameTestAs(test))
        {
            // The same event again: the broker resends what was not acknowledged, a restart judges it again.
            return match;
        }

        var completed = false;
        try
        {
            var order = await workOrders.ChangeAsync(match.Number, o => completed = o.CompleteByGateway(test), cancellationToken).ConfigureAwait(false);
            if (completed)
            {
                LogCompleted(logger, order.Number.ToString(), task.ToName(), asset.Key, name, outcome, test.Trigger);
            }

            return order;
        }
        catch (WorkOrderLifecycleException ex)
        {
            // A crew completed or skipped it between the look and the change: theirs stands.
            LogTakenMeanwhile(logger, match.Number.ToString(), ex.Status.ToName(), name);
            return null;
        }
    }

    private static double? Number(GatewayEvent gatewayEvent, string name) =>
        gatewayEvent.Values is { } values && values.TryGetValue(name, out var value) && double.IsFinite(value.AsDouble()) ? value.AsDouble() : null;

    // The discharge curve's last sample (curve_NNN_v, numbered from 000).
    private static double? EndVolts(GatewayEvent gatewayEvent) =>
        gatewayEvent.Values?.Keys
            .Where(k => k.StartsWith("curve_", StringComparison.Ordinal) && k.EndsWith("_v", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(k => Number(gatewayEvent, k))
            .LastOrDefault();

    [LoggerMessage(Level = LogLevel.Information, Message = "Work order {Number} ({Task} on {Asset}) completed by the gateway's {Test} test, {Outcome} ({Trigger})")]
    private static partial void LogCompleted(ILogger logger, string number, string task, string asset, string test, string outcome, string trigger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Test} test ({Outcome}) of {Asset} finds no open {Task} work order to complete")]
    private static partial void LogNoWorkOrder(ILogger logger, string test, string outcome, string asset, string task);

    [LoggerMessage(Level = LogLevel.Information, Message = "Work order {Number} became {Status} before the gateway's {Test} test could complete it; it stays so")]
    private static partial void LogTakenMeanwhile(ILogger logger, string number, string status, string test);
}
