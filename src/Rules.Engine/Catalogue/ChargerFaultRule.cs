using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// An emergency unit's charger reports a fault (<c>charger_fault</c>): <see cref="FaultType.ChargerFault"/>, grade 2 on
/// the unit. The emergency lighting works now, but a battery that is not recharged will not last its rated duration
/// in the next outage or test: a latent hazard. Clears when the unit reports its charger sound again.
/// </summary>
internal sealed class ChargerFaultRule() : DebouncedFlagRule(PointNames.ChargerFault, true, FaultType.ChargerFault, DebounceReadings)
{
    public static readonly ThresholdParameter DebounceReadings = new("charger_fault.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings an emergency unit must report its charger faulty (or sound) before charger fault opens (grade 2) or clears.");

    public override string Name => "charger_fault";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.EmergencyBattery];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.ChargerFault,
            "The unit works now, but a battery not recharged will not last its rated duration in the next outage: a latent hazard"),
    ];

    protected override string ClearedSummary => "charger reports sound";

    protected override string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence)
    {
        evidence[PointNames.ChargerFault] = 1;
        Keep(values, PointNames.BatteryVoltageV, evidence);
        Keep(values, PointNames.ChargeState, evidence);
        return "charger fault: the battery is not being recharged and will not last its rated duration in the next outage";
    }
}
