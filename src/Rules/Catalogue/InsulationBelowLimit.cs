using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>Insulation resistance below its limit (0.5 MΩ at 500 V): <see cref="FaultType.LowInsulation"/>, grade 2.</summary>
internal sealed class InsulationBelowLimit() : ValueLimitRule(PointNames.InsulationMohm, FaultType.LowInsulation,
    ThresholdCatalogue.InsulationTripMohm, ThresholdCatalogue.InsulationDebounceReadings, "insulation resistance", "MΩ")
{
    protected override DebouncedCondition Condition(DeviceState device) => device.LowInsulation;
}
