using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>Insulation resistance below its limit (0.5 MΩ at 500 V): <see cref="FaultType.LowInsulation"/>, grade 2.</summary>
internal sealed class InsulationBelowLimit() : ValueLimitRule(PointNames.InsulationMohm, FaultType.LowInsulation,
    new HysteresisBand(TripMohm, ClearMohm, TripDirection.Below), DebounceReadings, "insulation resistance", "MΩ")
{
    public static readonly ThresholdParameter TripMohm = new("insulation.trip_mohm", 0.5, 0.01, 100, false, "MΩ",
        "Insulation resistance (500 V test) below which it is low insulation (grade 2).");

    public static readonly ThresholdParameter ClearMohm = new("insulation.clear_mohm", 0.6, 0.02, 200, false, "MΩ",
        "Insulation resistance above which low insulation clears.");

    public static readonly ThresholdParameter DebounceReadings = new("insulation.debounce_readings", 3, 1, 100, true, "readings",
        "Consecutive readings past the trip (or clear) level before low insulation opens (or clears).");

    public override string Name => "insulation";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.LowInsulation, "Domain §2: a latent hazard (electric shock, fire) that can become an interruption")];
}
