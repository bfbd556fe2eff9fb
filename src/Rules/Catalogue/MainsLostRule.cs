using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// An emergency unit reports its mains supply absent (<c>mains_present</c> false): <see cref="FaultType.MainsLost"/>,
/// grade 2 on the unit. The unit is doing its job, lighting on battery, so nothing is lost yet; but the battery runs
/// out within its rated duration, after which the escape routes are dark: a latent hazard that becomes grade 1.
/// Clears when the mains are back.
/// </summary>
internal sealed class MainsLostRule() : DebouncedFlagRule(PointNames.MainsPresent, false, FaultType.MainsLost, ThresholdCatalogue.MainsLostDebounceReadings)
{
    protected override string ClearedSummary => "mains back";

    protected override DebouncedCondition Condition(DeviceState device) => device.MainsLost;

    protected override string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence)
    {
        evidence[PointNames.MainsPresent] = 0;
        Keep(values, PointNames.OnBattery, evidence);
        Keep(values, PointNames.BatteryVoltageV, evidence);
        var battery = evidence.TryGetValue(PointNames.BatteryVoltageV, out var volts)
            ? string.Create(CultureInfo.InvariantCulture, $" (battery at {volts:0.0} V)")
            : "";
        return $"mains lost: the unit runs on its battery{battery}, which lasts at most its rated duration";
    }
}
