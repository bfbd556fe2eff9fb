using Telemetry.Contracts;
using System.Globalization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A cabinet, box or pole door open longer than the limit (5 min): <see cref="FaultType.DoorOpen"/>, grade 3, on the
/// device.
/// </summary>
internal sealed class DoorOpenRule() : HeldFlagRule(PointNames.DoorOpen, FaultType.DoorOpen, ThresholdCatalogue.DoorOpenLimitMin, "open_min")
{
    protected override string ClearedSummary => "door closed";

    protected override HeldCondition Condition(DeviceState device) => device.DoorOpen;

    protected override string Describe(double minutes) => string.Create(CultureInfo.InvariantCulture, $"door open for {minutes:0} min");
}
