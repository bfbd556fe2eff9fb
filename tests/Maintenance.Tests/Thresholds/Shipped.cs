using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Maintenance.Tests.Thresholds;

/// <summary>The threshold catalogue the product ships (the one its rules declare), and the parameters these tests use by name.</summary>
internal static class Shipped
{
    public static ThresholdCatalogue Catalogue => RuleSet.Default.Thresholds;

    public static ThresholdSnapshot Defaults => Catalogue.Defaults;

    public static ThresholdParameter DoorOpenLimitMin => Parameter("door_open.limit_min");

    public static ThresholdParameter EarthTripOhm => Parameter("earth.trip_ohm");

    public static ThresholdParameter EarthClearOhm => Parameter("earth.clear_ohm");

    public static ThresholdParameter InsulationTripMohm => Parameter("insulation.trip_mohm");

    public static ThresholdParameter InsulationClearMohm => Parameter("insulation.clear_mohm");

    public static ThresholdParameter InsulationDebounceReadings => Parameter("insulation.debounce_readings");

    public static ThresholdParameter LeakageTripMa => Parameter("leakage.trip_ma");

    public static ThresholdParameter LeakageClearMa => Parameter("leakage.clear_ma");

    public static ThresholdParameter LampsDebounceReadings => Parameter("lamps.debounce_readings");

    public static ThresholdParameter OutageRatio => Parameter("lamps.outage_ratio");

    private static ThresholdParameter Parameter(string name) => Catalogue.Find(name) ?? throw new InvalidOperationException($"{name} is not in the shipped catalogue");
}
