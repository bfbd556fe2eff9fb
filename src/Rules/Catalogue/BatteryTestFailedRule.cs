using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// Emergency battery tests, from the gateway's <c>battery_test_finished</c> events: a failed duration test is
/// <see cref="FaultType.FailedDischarge"/> and a failed function test <see cref="FaultType.FailedFunctionTest"/>,
/// both grade 2 on the unit. The next passed test of the same kind clears it; an aborted test or one that could not
/// start says nothing about the battery and changes nothing.
/// </summary>
internal sealed class BatteryTestFailedRule
{
    public const string EventKind = EventKinds.BatteryTestFinished;

    public void OnEvent(DeviceState device, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
        var attributes = gatewayEvent.Attributes;
        if (attributes is null || !attributes.TryGetValue("test", out var test) || !attributes.TryGetValue("outcome", out var outcome))
        {
            return;
        }

        var duration = test == "duration";
        if (!duration && test != "function")
        {
            return;
        }

        var fault = duration ? FaultType.FailedDischarge : FaultType.FailedFunctionTest;
        var active = duration ? device.FailedDischarge : device.FailedFunctionTest;
        switch (outcome)
        {
            case "failed" when !active:
                Set(device, duration, true);
                var (summary, evidence) = Describe(duration, gatewayEvent);
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), gatewayEvent.Ts, summary, evidence));
                break;
            case "passed" when active:
                Set(device, duration, false);
                output.Add(new FaultCleared(device.Asset, fault, gatewayEvent.Ts, $"{test} test passed"));
                break;
        }
    }

    private static void Set(DeviceState device, bool duration, bool value)
    {
        if (duration)
        {
            device.FailedDischarge = value;
        }
        else
        {
            device.FailedFunctionTest = value;
        }
    }

    /// <summary>
    /// The unit's own record of its last test (<c>last_test_result</c>), for tests the gateway did not run: the unit's
    /// own schedule, a local button, another master. A failure not yet known is detected; a pass clears the kind of
    /// test last seen running.
    /// </summary>
    public void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (ReadingValues.TryCount(values, "test_state", out var running) && running is RunningFunction or RunningDuration)
        {
            device.LastTestRunning = running;
        }

        if (!ReadingValues.TryCount(values, "last_test_result", out var result) || result == device.LastTestResult)
        {
            return;
        }

        var first = device.LastTestResult is null;
        device.LastTestResult = result;
        switch (result)
        {
            case FailedDuration when !device.FailedDischarge:
            case FailedFunction when !device.FailedFunctionTest:
                var duration = result == FailedDuration;
                Set(device, duration, true);
                double? runtime = ReadingValues.TryNumber(values, "last_test_runtime_s", out var r) ? r : null;
                double? rated = ReadingValues.TryNumber(values, "rated_duration_min", out var m) ? m * 60 : null;
                var (summary, evidence) = Describe(duration, runtime, rated, first ? "the unit's record of its last test" : null);
                var fault = duration ? FaultType.FailedDischarge : FaultType.FailedFunctionTest;
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), at, summary, evidence));
                break;
            case Passed when device.LastTestRunning == RunningDuration && device.FailedDischarge:
                Set(device, true, false);
                output.Add(new FaultCleared(device.Asset, FaultType.FailedDischarge, at, "duration test passed"));
                break;
            case Passed when device.LastTestRunning == RunningFunction && device.FailedFunctionTest:
                Set(device, false, false);
                output.Add(new FaultCleared(device.Asset, FaultType.FailedFunctionTest, at, "function test passed"));
                break;
        }
    }

    // The unit's register codes (profile yd-eps1k: test_state, last_test_result).
    private const long RunningFunction = 1;
    private const long RunningDuration = 2;
    private const long Passed = 1;
    private const long FailedFunction = 2;
    private const long FailedDuration = 3;

    private static (string Summary, IReadOnlyDictionary<string, double> Evidence) Describe(bool duration, GatewayEvent gatewayEvent)
    {
        var values = gatewayEvent.Values;
        double? runtime = values is not null && ReadingValues.TryNumber(values, "runtime_s", out var r) ? r : null;
        double? rated = values is null ? null
            : ReadingValues.TryNumber(values, "rated_s", out var s) ? s
            : ReadingValues.TryNumber(values, "rated_duration_min", out var m) ? m * 60
            : null;
        return Describe(duration, runtime, rated, string.IsNullOrWhiteSpace(gatewayEvent.Message) ? null : gatewayEvent.Message);
    }

    private static (string Summary, IReadOnlyDictionary<string, double> Evidence) Describe(bool duration, double? runtime, double? rated, string? why)
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

        var reached = runtime is { } ran ? string.Create(CultureInfo.InvariantCulture, $" after {ran / 60:0.0} min") : "";
        var of = rated is { } full ? string.Create(CultureInfo.InvariantCulture, $" of the rated {full / 60:0.#} min") : "";
        return ($"duration test failed{reached}{of}{reason}", evidence);
    }
}
