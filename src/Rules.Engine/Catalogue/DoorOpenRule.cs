using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A cabinet, box or pole door open longer than the limit (5 min): <see cref="FaultType.DoorOpen"/>, grade 3, on the
/// device.
/// </summary>
internal sealed class DoorOpenRule() : HeldFlagRule(PointNames.DoorOpen, FaultType.DoorOpen, LimitMin, "open_min")
{
    public static readonly ThresholdParameter LimitMin = new("door_open.limit_min", 5, 0, 1440, false, "min",
        "Minutes a cabinet or box door may stay open before it is a fault (grade 3).");

    public override string Name => "door_open";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.HighMast, DeviceFamily.StreetController, DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.DoorOpen, "Domain §2: live parts exposed and a sign of tampering; the lighting still works")];

    protected override string ClearedSummary => "door closed";

    protected override string Describe(double minutes) => string.Create(CultureInfo.InvariantCulture, $"door open for {minutes:0} min");
}
