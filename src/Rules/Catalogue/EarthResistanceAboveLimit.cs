using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>Earth resistance above its limit (4 Ω): <see cref="FaultType.HighEarthResistance"/>, grade 3.</summary>
internal sealed class EarthResistanceAboveLimit() : ValueLimitRule(PointNames.EarthResistanceOhm, FaultType.HighEarthResistance,
    ThresholdCatalogue.EarthTripOhm, ThresholdCatalogue.EarthDebounceReadings, "earth resistance", "Ω")
{
    protected override DebouncedCondition Condition(DeviceState device) => device.HighEarthResistance;
}
