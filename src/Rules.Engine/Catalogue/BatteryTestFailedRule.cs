using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// Emergency battery tests, from the gateway's <c>battery_test_finished</c> events: a failed duration or one-hour test
/// is <see cref="FaultType.FailedDischarge"/> and a failed function test <see cref="FaultType.FailedFunctionTest"/>,
/// both grade 2 on the unit. The next passed test of the same kind clears it (a passed one-hour test proves no rated
/// duration, so only a passed duration test clears a failed discharge); an aborted test or one that could not start
/// says nothing about the battery and changes nothing.
/// </summary>
internal sealed class BatteryTestFailedRule : Rule<BatteryTestState>
{
    public override string Name => "battery_test";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.EmergencyBattery];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.FailedDischarge, "Domain §2: the unit would not light the escape routes for its rated duration: a latent hazard"),
        Sheet(FaultType.FailedFunctionTest, "Domain §2: the unit would not light on battery at all: a latent hazard"),
    ];

    public override IReadOnlyList<string> EventKinds => [Contracts.EventKinds.BatteryTestFinished];

    public override string Signals => "`battery_test_finished` events (`test` function, one_hour or duration, `outcome`, `runtime_s`, `rated_s`); the unit's own `last_test_result` after `test_state`";

    public override string Debounce => "none: the test's outcome";

    public override string Clears => "the next passed test of the same kind";

    public override RuleScope Scope => RuleScope.Device;

    public override void OnEvent(GatewaySession session, DeviceState? device, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
        var attributes = gatewayEvent.Attributes;
        if (device is null || attributes is null || !attributes.TryGetValue("test", out var test) || !attributes.TryGetValue("outcome", out var outcome))
        {
            return;
        }

        var duration = test is BatteryTestNames.Duration or BatteryTestNames.OneHour;
        if (!duration && test != BatteryTestNames.Function)
        {
            return;
        }

        var fault = duration ? FaultType.FailedDischarge : FaultType.FailedFunctionTest;
        var state = State(device);
        var active = duration ? state.FailedDischarge : state.FailedFunctionTest;
        switch (outcome)
        {
            case "failed" when !active:
                Set(state, duration, true);
                var (summary, evidence) = Describe(duration, test == BatteryTestNames.OneHour, gatewayEvent);
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), gatewayEvent.Ts, summary, evidence));
                break;
            case "passed" when active && test != BatteryTestNames.OneHour:
                Set(state, duration, false);
                output.Add(new FaultCleared(device.Asset, fault, gatewayEvent.Ts, $"{test} test passed"));
                break;
        }
    }

    private static void Set(BatteryTestState state, bool duration, bool value)
    {
        if (duration)
        {
            state.FailedDischarge = value;
        }
        else
        {
            state.FailedFunctionTest = value;
        }
    }

    /// <summary>
    /// The unit's own record of its last test (<c>last_test_result</c>), for tests the gateway did not run: the unit's
    /// own schedule, a local button, another master. A failure not yet known is detected; a pass clears the kind of
    /// test last seen running.
    /// </summary>
    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var state = State(device);
        if (ReadingValues.TryCount(values, "test_state", out var running) && running is RunningFunction or RunningDuration)
        {
            state.LastTestRunning = running;
        }

        if (!ReadingValues.TryCount(values, "last_test_result", out var result) || result == state.LastTestResult)
        {
            return;
        }

        var first = state.LastTestResult is null;
        state.LastTestResult = result;
        switch (result)
        {
            case FailedDuration when !state.FailedDischarge:
            case FailedFunction when !state.FailedFunctionTest:
                var duration = result == FailedDuration;
                Set(state, duration, true);
                double? runtime = ReadingValues.TryNumber(values, "last_test_runtime_s", out var r) ? r : null;
                double? rated = ReadingValues.TryNumber(values, "rated_duration_min", out var m) ? m * 60 : null;
                var (summary, evidence) = Describe(duration, runtime, rated, first ? "the unit's record of its last test" : null);
                var fault = duration ? FaultType.FailedDischarge : FaultType.FailedFunctionTest;
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), at, summary, evidence));
                break;
            case Passed when state.LastTestRunning == RunningDuration && state.FailedDischarge:
                Set(state, true, false);
                output.Add(new FaultCleared(device.Asset, FaultType.FailedDischarge, at, "duration test passed"));
                break;
            case Passed when state.LastTestRunning == RunningFunction && state.FailedFunctionTest:
                Set(state, false, false);
                output.Add(new FaultCleared(device.Asset, FaultType.FailedFunctionTest, at, "function test passed"));
                break;
        }
    }

    protected override void Reconcile(BatteryTestState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now)
    {
        state.FailedDischarge = isOpen(owner.Asset, FaultType.FailedDischarge);
        state.FailedFunctionTest = isOpen(owner.Asset, FaultType.FailedFunctionTest);
    }

    // The unit's register codes (profile yd-eps1k: test_state, last_test_result).
    private const long RunningFunction = 1;
    private const long RunningDuration = 2;
    private const long Passed = 1;
    private const long FailedFunction = 2;
    private const long FailedDuration = 3;

    private static (string Summary, IReadOnlyDictionary<string, double> Evidence) Describe(bool duration, bool oneHour, GatewayEvent gatewayEvent)
    {
        var values = gatewayEvent.Values;
        double? runtime = values is not null && ReadingValues.TryNumber(values, "runtime_s", out var r) ? r : null;
        double? rated = oneHour ? 3600
            : values is null ? null
            : ReadingValues.TryNumber(values, "rated_s", out var s) ? s
            : ReadingValues.TryNumber(values, "rated_duration_min", out var m) ? m * 60
            : null;
        return Describe(duration, runtime, rated, string.IsNullOrWhiteSpace(gatewayEvent.Message) ? null : gatewayEvent.Message, oneHour);
    }

    private static (string Summary, IReadOnlyDictionary<string, double> Evidence) Describe(bool duration, double? runtime, double? rated, string? why, bool oneHour = false)
    {
        var evidence = new Dictionary<string, double>(StringComparer.Ordinal);
        if (runtime is { } run)
        {
            evidence["runtime_s"] = run;
        }

        if (rated is { } rate)
        {
            evidence["rated_s"] = rate;
        }

        var reason = why is null ? "" : $" ({why})";
        if (!duration)
        {
            return ("function test failed" + reason, evidence);
        }

        var what = oneHour ? "one-hour test" : "duration test";
        var reached = runtime is { } ran ? string.Create(CultureInfo.InvariantCulture, $" after {ran / 60:0.0} min") : "";
        var of = rated is { } full ? string.Create(CultureInfo.InvariantCulture, $" of the {(oneHour ? "planned" : "rated")} {full / 60:0.#} min") : "";
        return ($"{what} failed{reached}{of}{reason}", evidence);
    }
}

/// <summary>An emergency unit's tests: the failures reported, and the unit's own record of its last test.</summary>
internal sealed class BatteryTestState
{
    public bool FailedDischarge { get; set; }

    public bool FailedFunctionTest { get; set; }

    /// <summary>The last <c>last_test_result</c> code read from the unit, or null before the first.</summary>
    public long? LastTestResult { get; set; }

    /// <summary>The kind of test last seen running (<c>test_state</c> 1 function, 2 duration), 0 when none was seen.</summary>
    public long LastTestRunning { get; set; }
}
