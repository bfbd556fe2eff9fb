using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A controller left in manual override longer than the limit (60 min): <see cref="FaultType.ManualOverrideLeftOn"/>,
/// grade 4, an operator-side fault on the device, since the schedule no longer switches its lighting.
/// </summary>
internal sealed class ManualOverrideRule() : HeldFlagRule(PointNames.ManualOverride, FaultType.ManualOverrideLeftOn, LimitMin, "override_min")
{
    public static readonly ThresholdParameter LimitMin = new("manual_override.limit_min", 60, 1, 10080, false, "min",
        "Minutes a manual override may stay on before it is an operator-side fault (grade 4).");

    public override string Name => "manual_override";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.StreetController];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.ManualOverrideLeftOn, "Domain §2: operator side, no plant fault; the schedule no longer switches the lighting")];

    protected override string ClearedSummary => "manual override released";

    protected override string Describe(double minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"manual override on for {minutes:0} min: the schedule does not switch this lighting");
}
