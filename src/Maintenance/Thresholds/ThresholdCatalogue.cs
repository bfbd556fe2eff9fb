namespace Telemetry.Maintenance.Thresholds;

/// <summary>One tunable parameter of a rule, with the domain's default and the range an engineer may set.</summary>
/// <param name="Index">Position in <see cref="ThresholdCatalogue.All"/>, so resolved values are an array lookup.</param>
/// <param name="Name">Dotted name, rule first: <c>insulation.trip_mohm</c>. The suffix is the unit, as in value names.</param>
/// <param name="Default">The value the product ships with.</param>
/// <param name="Minimum">The lowest value an engineer may set.</param>
/// <param name="Maximum">The highest value an engineer may set.</param>
/// <param name="WholeNumber">Counts (readings, intervals) take whole numbers only.</param>
/// <param name="Description">What the parameter means, for the engineers' screen.</param>
public sealed record ThresholdParameter(
    int Index,
    string Name,
    double Default,
    double Minimum,
    double Maximum,
    bool WholeNumber,
    string Description);

/// <summary>Which way a limit trips: a value below it (insulation) or above it (leakage).</summary>
public enum TripDirection
{
    Below,
    Above,
}

/// <summary>
/// A trip level and its clear level. A condition opens past <see cref="Trip"/> and clears only back past
/// <see cref="Clear"/>, so a value oscillating between the two opens one ticket, not many.
/// The clear level must be on the healthy side of the trip level.
/// </summary>
public sealed record HysteresisBand(ThresholdParameter Trip, ThresholdParameter Clear, TripDirection Direction)
{
    /// <summary>True when the clear level lies strictly on the healthy side of the trip level.</summary>
    public bool IsOrdered(double trip, double clear) => Direction == TripDirection.Below ? clear > trip : clear < trip;
}

/// <summary>Every rule parameter the product ships, seeded with the defaults of the domain spec (section 2).</summary>
public static class ThresholdCatalogue
{
    private static readonly List<ThresholdParameter> Parameters = [];

    public static readonly ThresholdParameter OutageRatio = Add("lamps.outage_ratio", 0.40, 0.05, 0.95, false,
        "Fraction of a mast's or circuit's lamps dark, while commanded on, above which it is an outage (grade 2).");

    public static readonly ThresholdParameter LampsDebounceReadings = Add("lamps.debounce_readings", 2, 1, 20, true,
        "Consecutive readings a lamp count must agree on before a lamp fault opens or clears.");

    public static readonly ThresholdParameter CableTheftTripRatio = Add("cable_theft.trip_ratio", 0.10, 0.01, 0.9, false,
        "Current, as a fraction of the circuit's learned baseline, below which a closed, commanded-on circuit has lost its feeder.");

    public static readonly ThresholdParameter CableTheftClearRatio = Add("cable_theft.clear_ratio", 0.50, 0.02, 1.0, false,
        "Current, as a fraction of the learned baseline, above which a cable theft condition clears.");

    public static readonly ThresholdParameter CableTheftBaselineReadings = Add("cable_theft.baseline_readings", 10, 3, 1000, true,
        "Healthy readings a circuit needs before its current baseline is trusted for theft detection.");

    public static readonly ThresholdParameter DayBurningMarginMin = Add("day_burning.margin_min", 30, 0, 180, true,
        "Minutes after sunrise and before sunset inside which lamps lit are day burning.");

    public static readonly ThresholdParameter DayBurningDebounceMin = Add("day_burning.debounce_min", 10, 0, 240, false,
        "Minutes lamps must stay lit by daylight before day burning opens.");

    public static readonly ThresholdParameter InsulationTripMohm = Add("insulation.trip_mohm", 0.5, 0.01, 100, false,
        "Insulation resistance (500 V test) below which it is low insulation (grade 2).");

    public static readonly ThresholdParameter InsulationClearMohm = Add("insulation.clear_mohm", 0.6, 0.02, 200, false,
        "Insulation resistance above which low insulation clears.");

    public static readonly ThresholdParameter InsulationDebounceReadings = Add("insulation.debounce_readings", 3, 1, 100, true,
        "Consecutive readings past the trip (or clear) level before low insulation opens (or clears).");

    public static readonly ThresholdParameter LeakageTripMa = Add("leakage.trip_ma", 30, 1, 1000, false,
        "Residual current above which it is high leakage (grade 2).");

    public static readonly ThresholdParameter LeakageClearMa = Add("leakage.clear_ma", 25, 0.5, 999, false,
        "Residual current below which high leakage clears.");

    public static readonly ThresholdParameter LeakageDebounceReadings = Add("leakage.debounce_readings", 3, 1, 100, true,
        "Consecutive readings past the trip (or clear) level before high leakage opens (or clears).");

    public static readonly ThresholdParameter EarthTripOhm = Add("earth.trip_ohm", 4, 0.1, 100, false,
        "Earth resistance above which it is a fault (grade 3).");

    public static readonly ThresholdParameter EarthClearOhm = Add("earth.clear_ohm", 3.8, 0.05, 99, false,
        "Earth resistance below which the earth fault clears.");

    public static readonly ThresholdParameter EarthDebounceReadings = Add("earth.debounce_readings", 2, 1, 100, true,
        "Consecutive readings past the trip (or clear) level before the earth fault opens (or clears).");

    public static readonly ThresholdParameter ClockDriftTripS = Add("clock_drift.trip_s", 60, 1, 86400, false,
        "Seconds a controller's clock may be off the reference time before it is clock drift (grade 3).");

    public static readonly ThresholdParameter ClockDriftClearS = Add("clock_drift.clear_s", 30, 0.5, 86399, false,
        "Seconds off below which clock drift clears.");

    public static readonly ThresholdParameter ClockDriftDebounceReadings = Add("clock_drift.debounce_readings", 2, 1, 100, true,
        "Consecutive readings past the trip (or clear) level before clock drift opens (or clears).");

    public static readonly ThresholdParameter SilentPollIntervals = Add("device_silent.poll_intervals", 3, 1, 1000, true,
        "Poll intervals without a good reading before a device is silent (grade 3).");

    public static readonly ThresholdParameter GatewayOfflineGraceS = Add("gateway_offline.grace_s", 30, 0, 3600, false,
        "Seconds a gateway may stay offline (a restart) before it is a fault (grade 2, grade 1 at night).");

    public static readonly ThresholdParameter DoorOpenLimitMin = Add("door_open.limit_min", 5, 0, 1440, false,
        "Minutes a cabinet or box door may stay open before it is a fault (grade 3).");

    public static readonly ThresholdParameter ManualOverrideLimitMin = Add("manual_override.limit_min", 60, 1, 10080, false,
        "Minutes a manual override may stay on before it is an operator-side fault (grade 4).");

    public static readonly ThresholdParameter LiftFaultDebounceReadings = Add("lift_fault.debounce_readings", 2, 1, 100, true,
        "Consecutive readings a high mast's lift fault must be latched (or released) before the lift fault opens (grade 2) or clears.");

    public static readonly ThresholdParameter LampRingLimitMin = Add("lamp_ring.limit_min", 15, 0, 1440, false,
        "Minutes a high mast's lamp ring may stay below the top while its lighting is due on (the winch's travel time with a margin) before it is a fault (grade 2).");

    public static readonly ThresholdParameter BreakerDebounceReadings = Add("breaker.debounce_readings", 2, 1, 100, true,
        "Consecutive readings a box's breaker must read open (or closed) before breaker tripped opens (grade 2; the main breaker grade 1 at night) or clears.");

    public static readonly ThresholdParameter SurgeProtectorDebounceReadings = Add("surge_protector.debounce_readings", 2, 1, 100, true,
        "Consecutive readings a box's surge protector must report spent (or sound) before surge protector spent opens (grade 3) or clears.");

    public static readonly ThresholdParameter PhaseLossTripV = Add("phase_loss.trip_v", 100, 5, 220, false,
        "Phase voltage of a distribution box below which the phase is lost (grade 2; every phase lost grade 1 at night).");

    public static readonly ThresholdParameter PhaseLossClearV = Add("phase_loss.clear_v", 180, 10, 250, false,
        "Phase voltage every phase must be above before phase lost clears.");

    public static readonly ThresholdParameter PhaseLossDebounceReadings = Add("phase_loss.debounce_readings", 2, 1, 100, true,
        "Consecutive readings past the trip (or clear) level before phase lost opens (or clears).");

    public static readonly ThresholdParameter MainsLostDebounceReadings = Add("mains_lost.debounce_readings", 2, 1, 100, true,
        "Consecutive readings an emergency unit must report its mains absent (or back) before mains lost opens (grade 2) or clears.");

    public static readonly ThresholdParameter ChargerFaultDebounceReadings = Add("charger_fault.debounce_readings", 2, 1, 100, true,
        "Consecutive readings an emergency unit must report its charger faulty (or sound) before charger fault opens (grade 2) or clears.");

    /// <summary>The trip/clear pairs; a change that would put a clear level on the wrong side of its trip level is refused.</summary>
    public static readonly IReadOnlyList<HysteresisBand> Bands =
    [
        new(CableTheftTripRatio, CableTheftClearRatio, TripDirection.Below),
        new(InsulationTripMohm, InsulationClearMohm, TripDirection.Below),
        new(LeakageTripMa, LeakageClearMa, TripDirection.Above),
        new(EarthTripOhm, EarthClearOhm, TripDirection.Above),
        new(ClockDriftTripS, ClockDriftClearS, TripDirection.Above),
        new(PhaseLossTripV, PhaseLossClearV, TripDirection.Below),
    ];

    /// <summary>Every parameter, in <see cref="ThresholdParameter.Index"/> order.</summary>
    public static IReadOnlyList<ThresholdParameter> All => Parameters;

    /// <summary>The parameter of that name, or null.</summary>
    public static ThresholdParameter? Find(string? name) => Parameters.Find(p => p.Name == name);

    private static ThresholdParameter Add(string name, double value, double minimum, double maximum, bool wholeNumber, string description)
    {
        var parameter = new ThresholdParameter(Parameters.Count, name, value, minimum, maximum, wholeNumber, description);
        Parameters.Add(parameter);
        return parameter;
    }
}
