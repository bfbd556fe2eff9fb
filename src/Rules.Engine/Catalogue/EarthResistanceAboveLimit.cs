using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// Earth resistance above its limit (4 Ω): <see cref="FaultType.HighEarthResistance"/>, grade 3. Judged on boxes, and on
/// masts and poles whenever their readings (or a crew's manual reading) carry the value.
/// </summary>
internal sealed class EarthResistanceAboveLimit() : ValueLimitRule(PointNames.EarthResistanceOhm, FaultType.HighEarthResistance,
    new HysteresisBand(TripOhm, ClearOhm, TripDirection.Above), DebounceReadings, "earth resistance", "Ω")
{
    public static readonly ThresholdParameter TripOhm = new("earth.trip_ohm", 4, 0.1, 100, false, "Ω",
        "Earth resistance above which it is a fault (grade 3).");

    public static readonly ThresholdParameter ClearOhm = new("earth.clear_ohm", 3.8, 0.05, 99, false, "Ω",
        "Earth resistance below which the earth fault clears.");

    public static readonly ThresholdParameter DebounceReadings = new("earth.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings past the trip (or clear) level before the earth fault opens (or clears).");

    public override string Name => "earth_resistance";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox, DeviceFamily.HighMast, DeviceFamily.StreetController];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.HighEarthResistance, "Domain §2: a protective component degraded; the lighting still works")];
}
