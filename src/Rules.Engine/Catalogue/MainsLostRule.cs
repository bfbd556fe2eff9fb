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
internal sealed class MainsLostRule() : DebouncedFlagRule(PointNames.MainsPresent, false, FaultType.MainsLost, DebounceReadings)
{
    public static readonly ThresholdParameter DebounceReadings = new("mains_lost.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings an emergency unit must report its mains absent (or back) before mains lost opens (grade 2) or clears.");

    public override string Name => "mains_lost";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.EmergencyBattery];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.MainsLost,
            "The unit is doing its job on battery; the escape routes go dark when the battery runs out within its rated duration: a latent hazard that becomes grade 1"),
    ];

    protected override string ClearedSummary => "mains back";

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
