using Telemetry.Contracts;
using System.Globalization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A controller left in manual override longer than the limit (60 min): <see cref="FaultType.ManualOverrideLeftOn"/>,
/// grade 4, an operator-side fault on the device, since the schedule no longer switches its lighting.
/// </summary>
internal sealed class ManualOverrideRule() : HeldFlagRule(PointNames.ManualOverride, FaultType.ManualOverrideLeftOn, ThresholdCatalogue.ManualOverrideLimitMin, "override_min")
{
    protected override string ClearedSummary => "manual override released";

    protected override HeldCondition Condition(DeviceState device) => device.ManualOverride;

    protected override string Describe(double minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"manual override on for {minutes:0} min: the schedule does not switch this lighting");
}
