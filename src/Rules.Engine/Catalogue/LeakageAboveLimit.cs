using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>Residual (leakage) current above its limit (30 mA): <see cref="FaultType.HighLeakage"/>, grade 2.</summary>
internal sealed class LeakageAboveLimit() : ValueLimitRule(PointNames.ResidualCurrentMa, FaultType.HighLeakage,
    new HysteresisBand(TripMa, ClearMa, TripDirection.Above), DebounceReadings, "residual current", "mA")
{
    public static readonly ThresholdParameter TripMa = new("leakage.trip_ma", 30, 1, 1000, false, "mA",
        "Residual current above which it is high leakage (grade 2).");

    public static readonly ThresholdParameter ClearMa = new("leakage.clear_ma", 25, 0.5, 999, false, "mA",
        "Residual current below which high leakage clears.");

    public static readonly ThresholdParameter DebounceReadings = new("leakage.debounce_readings", 3, 1, 100, true, "readings",
        "Consecutive readings past the trip (or clear) level before high leakage opens (or clears).");

    public override string Name => "leakage";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.HighLeakage, "Domain §2: a latent hazard (electric shock) that can become an interruption")];
}
