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
internal sealed class ChargerFaultRule() : DebouncedFlagRule(PointNames.ChargerFault, true, FaultType.ChargerFault, ThresholdCatalogue.ChargerFaultDebounceReadings)
{
    protected override string ClearedSummary => "charger reports sound";

    protected override DebouncedCondition Condition(DeviceState device) => device.ChargerFault;

    protected override string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence)
    {
        evidence[PointNames.ChargerFault] = 1;
        Keep(values, PointNames.BatteryVoltageV, evidence);
        Keep(values, PointNames.ChargeState, evidence);
        return "charger fault: the battery is not being recharged and will not last its rated duration in the next outage";
    }
}
