using System.Globalization;
using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Commands;
using Telemetry.Api.History;
using Telemetry.Api.Live;
using Telemetry.Api.Plant;
using Telemetry.Contracts;

namespace Telemetry.Api.Web.Engineering;

/// <summary>An emergency-battery unit now: online, charge and test state (the profile's labels), battery voltage, the last result the unit reports.</summary>
public sealed record BatteryUnit(
    string Site,
    string Gateway,
    string Device,
    bool Online,
    string? ChargeState,
    string? TestState,
    double? Volts,
    string? LastResult,
    double? LastRuntimeSeconds,
    bool? MainsPresent,
    DateTimeOffset? LastReadingAt)
{
    /// <summary>Whether the unit reports a test under way.</summary>
    public bool Testing => TestState is "function" or "duration";
}

/// <summary>One point of a discharge curve: seconds into the test, battery voltage.</summary>
public sealed record DischargePoint(double Seconds, double Volts);

/// <summary>A finished battery test as the gateway reported it: the test, its outcome, runtime, why it ended, and its discharge curve.</summary>
public sealed record BatteryTestResult(DateTimeOffset FinishedAt, string Test, string Outcome, double? RuntimeSeconds, string? Message, double? CutoffVolts, IReadOnlyList<DischargePoint> Curve);

/// <summary>The results of a unit: its finished tests (newest first) and the commands sent to it (newest first).</summary>
public sealed record BatteryHistory(IReadOnlyList<BatteryTestResult> Tests, IReadOnlyList<AuditedCommand> Commands, string? Refused);

/// <summary>
/// The battery tests page's data: the emergency-battery units of the site files with their live state, the test
/// commands sent through the Api's own command path (checked, audited, sent, answered), and each unit's results from
/// the command audit and the gateway's test events with their discharge curves, read through <see cref="ReadingHistory"/>.
/// </summary>
public sealed class BatteryTestsService(
    ApiPlant plant, LivePlant live, ReadingHistory history, CommandSender sender, CommandAudit audit, CommandSettings settings, TimeProvider clock)
{
    /// <summary>The test actions the page offers.</summary>
    public static readonly IReadOnlyList<string> Actions = [CommandActions.StartFunctionTest, CommandActions.StartOneHourTest, CommandActions.StartDurationTest, CommandActions.AbortTest];

    /// <summary>How far back the results are read.</summary>
    public static readonly TimeSpan ResultsRange = TimeSpan.FromDays(7);

    /// <summary>The most results and commands listed per unit.</summary>
    public const int Listed = 10;

    /// <summary>Every emergency-battery unit of the site files, by site and device.</summary>
    public IReadOnlyList<BatteryUnit> Units()
    {
        var now = clock.GetUtcNow();
        return [.. plant.Sites
            .SelectMany(s => s.Devices.Where(d => d.Family == DeviceFamily.EmergencyBattery).Select(d => (Site: s.Id, Device: d.Id)))
            .Select(u => Unit(u.Site, u.Device, now))
            .OfType<BatteryUnit>()];
    }

    /// <summary>Whether <paramref name="user"/> may ask for <paramref name="action"/> (engineers and admins start and abort tests).</summary>
    public static bool MayAsk(ClaimsPrincipal user, string action)
    {
        ArgumentNullException.ThrowIfNull(user);
        return CommandPermissions.RolesFor(action).Any(r => user.IsInRole(UserStore.Names.Of(r)));
    }

    /// <summary>Sends a test command as <c>POST /api/sites/{site}/devices/{device}/commands</c> does, audited the same way; null when the user may not ask for it.</summary>
    public async Task<AuditedCommand?> SendAsync(ClaimsPrincipal user, string site, string device, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!Actions.Contains(action) || !MayAsk(user, action) || plant.Find(site, device) is not { } found || found.Device.Family != DeviceFamily.EmergencyBattery)
        {
            return null;
        }

        return await CommandEndpoints.CarryOutAsync(found, new CheckedCommand(action, null, null, null, null, null), user, sender, audit, settings, clock, cancellationToken);
    }

    /// <summary>The unit's finished tests with their curves (from the gateway's events) and the commands sent to it (from the audit).</summary>
    public async Task<BatteryHistory> HistoryAsync(string site, string device, CancellationToken cancellationToken)
    {
        var commands = (await audit.ListAsync(site, device, Listed, 0, cancellationToken)).Commands;
        if (plant.Find(site, device) is not { } found)
        {
            return new([], commands, null);
        }

        var to = clock.GetUtcNow().AddMinutes(1);
        var from = to - ResultsRange;
        var (step, widened) = HistoryRequest.Fit(to - from, null);
        var read = await history.ReadAsync(new HistoryRequest(found, "battery_voltage_v", null, from, to, step, widened), cancellationToken);
        if (read.View is not { } view)
        {
            return new([], commands, read.Reason);
        }

        var tests = view.DeviceEvents
            .Where(e => e.Kind == EventKinds.BatteryTestFinished)
            .OrderByDescending(e => e.Time)
            .Take(Listed)
            .Select(Result)
            .ToList();
        return new(tests, commands, null);
    }

    private BatteryUnit? Unit(string site, string device, DateTimeOffset now)
    {
        if (live.Device(site, device, null, now) is not { } status || plant.Find(site, device) is not { } found)
        {
            return null;
        }

        var values = status.Readings.FirstOrDefault(r => r.Circuit is null)?.Values ?? status.Readings.FirstOrDefault()?.Values;
        string? Label(string point)
        {
            if (values is null || !values.TryGetValue(point, out var value))
            {
                return null;
            }

            var labels = found.Device.Profile.FindPoint(point, null)?.Labels;
            return labels is not null && labels.TryGetValue(value.AsInteger(), out var label) ? label : value.ToString();
        }

        double? Number(string point) => values is not null && values.TryGetValue(point, out var value) ? value.AsDouble() : null;
        bool? Flag(string point) => values is not null && values.TryGetValue(point, out var value) ? value.AsBoolean() : null;
        return new BatteryUnit(site, status.Gateway, device, status.Online, Label("charge_state"), Label("test_state"), Number("battery_voltage_v"),
            Label("last_test_result"), Number("last_test_runtime_s"), Flag("mains_present"), status.LastReadingAt);
    }

    private static BatteryTestResult Result(HistoryDeviceEvent e)
    {
        double? Number(string name) => e.Details.TryGetValue(name, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
        var curve = new List<DischargePoint>();
        for (var i = 0; i < 1000; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"curve_{i:D3}");
            if (Number(name + "_s") is not { } seconds || Number(name + "_v") is not { } volts)
            {
                break;
            }

            curve.Add(new DischargePoint(seconds, volts));
        }

        return new BatteryTestResult(e.Time, e.Details.GetValueOrDefault("test") ?? "", e.Details.GetValueOrDefault("outcome") ?? "", Number("runtime_s"), e.Message,
            Number("cutoff_voltage_v"), curve);
    }
}
