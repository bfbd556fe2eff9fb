using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Commands;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Gateway.Polling;
using Telemetry.Gateway.Publishing;

namespace Telemetry.Gateway.BatteryTests;

/// <summary>
/// Runs the site's automatic emergency tests (<see cref="EmergencyTestSchedule"/>): every plan interval it reads the
/// units that have a test due, asks <see cref="EmergencyTestPlanner"/> what starts now, starts those through the
/// <see cref="BatteryTestRunner"/> (as <c>trigger</c> <c>schedule</c>), and records each new postponement in the
/// ledger and as a <c>battery_test_postponed</c> event, so that it shows in the unit's history.
/// </summary>
public sealed partial class EmergencyTestScheduler(
    PollingService polling,
    BatteryTestRunner runner,
    BatteryTestLedger ledger,
    OutboundQueue outbound,
    SiteConfiguration site,
    GatewaySettings settings,
    GatewayStatistics statistics,
    TimeProvider clock,
    ILogger<EmergencyTestScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan DefaultRated = TimeSpan.FromMinutes(90);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.BatteryTests.PlanInterval, clock);
        try
        {
            do
            {
                try
                {
                    await PlanOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPlanFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Plans once: reads the units with a test due, starts what may start, records postponements.</summary>
    public async Task PlanOnceAsync(CancellationToken cancellationToken)
    {
        var plant = site.Current;
        if (plant.Site.EmergencyTests is not { Enabled: true } schedule)
        {
            return;
        }

        var zone = plant.Site.TimeZone;
        var now = clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var inWindow = schedule.Window.Holds(local, local);
        var units = new List<EmergencyUnitState>();
        foreach (var device in plant.Gateway.Devices.Where(d => d.Family == DeviceFamily.EmergencyBattery))
        {
            var history = ledger.For(device.Id);
            var (condition, rated) = runner.IsRunning(device.Id) ? (UnitCondition.Testing, DefaultRated)
                : inWindow && EmergencyTestPlanner.Due(history, schedule, zone, local) is not null ? await ReadAsync(device, cancellationToken)
                : (UnitCondition.Unknown, DefaultRated);
            units.Add(new EmergencyUnitState(device.Id, device.Group, condition, history, rated));
        }

        var plan = EmergencyTestPlanner.Plan(units, schedule, zone, now);
        foreach (var postponement in plan.Postponed)
        {
            Postpone(postponement, now);
        }

        foreach (var test in plan.Starts)
        {
            await StartAsync(test, cancellationToken);
        }
    }

    private async Task<(UnitCondition Condition, TimeSpan Rated)> ReadAsync(SiteDevice device, CancellationToken cancellationToken)
    {
        if (polling.Find(device.Id) is not { } target)
        {
            return (UnitCondition.Unknown, DefaultRated);
        }

        var read = await target.Worker.ReadNowAsync(target.Device, cancellationToken);
        if (read.Decoded is not { } state)
        {
            return (UnitCondition.Unknown, DefaultRated);
        }

        var rated = state.Find("rated_duration_min")?.AsReal is { } minutes and > 0 ? TimeSpan.FromMinutes(minutes) : DefaultRated;
        var condition = state.Find("test_state")?.AsInteger is > 0 ? UnitCondition.Testing
            : state.Find("mains_present")?.AsBoolean == false ? UnitCondition.MainsAbsent
            : state.Find("charger_fault")?.AsBoolean == true ? UnitCondition.Faulty
            : UnitCondition.Ready;
        return (condition, rated);
    }

    private async Task StartAsync(PlannedTest test, CancellationToken cancellationToken)
    {
        if (polling.Find(test.Unit) is not { } target)
        {
            return;
        }

        var action = test.Kind == BatteryTestKind.Function ? CommandActions.StartFunctionTest : CommandActions.StartDurationTest;
        if (!CommandEncoder.TryEncode(target.Device.Profile, "test_command", null, PointValue.FromText(action), out var write, out var rejection))
        {
            LogCannotStart(logger, test.Unit, rejection.ToString() ?? "");
            return;
        }

        var outcome = await runner.StartAsync(target.Worker, target.Device, test.Kind, [write], cancellationToken, BatteryTestNames.Schedule);
        if (outcome.Result == CommandResult.Done)
        {
            statistics.BatteryTestScheduled(test.Kind.EventName());
        }
        else
        {
            LogNotStarted(logger, test.Kind, test.Unit, outcome.ResultName, outcome.Reason ?? "");
        }
    }

    private void Postpone(Postponement postponement, DateTimeOffset now)
    {
        if (!ledger.Postponed(postponement.Unit, postponement.Reason, now))
        {
            return;
        }

        statistics.BatteryTestPostponed(postponement.Reason);
        var why = postponement.Reason == BatteryTestNames.MainsAbsent
            ? "the mains is lost: a test would discharge the battery with nothing to recharge it"
            : "the unit is faulty (charger fault, or its last test failed): it waits for a repair and a test by command";
        LogPostponed(logger, postponement.Kind, postponement.Unit, postponement.Reason);
        try
        {
            outbound.AppendEvent(new GatewayEvent
            {
                Kind = EventKinds.BatteryTestPostponed,
                Ts = now,
                Device = postponement.Unit,
                Message = why,
                Attributes = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["test"] = postponement.Kind.EventName(),
                    ["reason"] = postponement.Reason,
                    ["trigger"] = BatteryTestNames.Schedule,
                },
            });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            LogEventLost(logger, postponement.Unit, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning the automatic emergency tests failed")]
    private static partial void LogPlanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The automatic test of {Device} cannot be written: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, string device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic {Kind} test of {Device} did not start: {Result}: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, BatteryTestKind kind, string device, string result, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic {Kind} test of {Device} postponed: {Reason}")]
    private static partial void LogPostponed(ILogger logger, BatteryTestKind kind, string device, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the postponement of {Device}: {Reason}")]
    private static partial void LogEventLost(ILogger logger, string device, string reason);
}
