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
    public const string EventKind = "battery_test_finished";

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

    private static (string Summary, IReadOnlyDictionary<string, double> Evidence) Describe(bool duration, GatewayEvent gatewayEvent)
    {
        var evidence = new Dictionary<string, double>(StringComparer.Ordinal);
        var values = gatewayEvent.Values;
        double? runtime = values is not null && ReadingValues.TryNumber(values, "runtime_s", out var r) ? r : null;
        double? rated = values is null ? null
            : ReadingValues.TryNumber(values, "rated_s", out var s) ? s
            : ReadingValues.TryNumber(values, "rated_duration_min", out var m) ? m * 60
            : null;
        if (runtime is { } run)
        {
            evidence["runtime_s"] = run;
        }

        if (rated is { } rate)
        {
            evidence["rated_s"] = rate;
        }

        var reason = string.IsNullOrWhiteSpace(gatewayEvent.Message) ? "" : $" ({gatewayEvent.Message})";
        if (!duration)
        {
            return ("function test failed" + reason, evidence);
        }

        var reached = runtime is { } ran ? string.Create(CultureInfo.InvariantCulture, $" after {ran / 60:0.0} min") : "";
        var of = rated is { } full ? string.Create(CultureInfo.InvariantCulture, $" of the rated {full / 60:0.#} min") : "";
        return ($"duration test failed{reached}{of}{reason}", evidence);
    }
}
