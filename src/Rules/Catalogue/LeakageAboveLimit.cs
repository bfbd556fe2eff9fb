using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>Residual (leakage) current above its limit (30 mA): <see cref="FaultType.HighLeakage"/>, grade 2.</summary>
internal sealed class LeakageAboveLimit() : ValueLimitRule(PointNames.ResidualCurrentMa, FaultType.HighLeakage,
    ThresholdCatalogue.LeakageTripMa, ThresholdCatalogue.LeakageDebounceReadings, "residual current", "mA")
{
    protected override DebouncedCondition Condition(DeviceState device) => device.HighLeakage;
}
