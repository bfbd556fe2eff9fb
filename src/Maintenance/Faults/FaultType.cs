namespace Telemetry.Maintenance.Faults;

/// <summary>The fault catalogue (domain section 2): what a rule can detect and a ticket is about.</summary>
public enum FaultType
{
    /// <summary>Commanded on and more than the outage ratio (40 %) of a mast's or circuit's lamps dark.</summary>
    MastOutage,

    /// <summary>Commanded on and every lamp of a circuit or mast dark, or supply lost at night.</summary>
    TotalDark,

    /// <summary>Commanded on, at least one lamp dark, at or below the outage ratio.</summary>
    SingleLampsDark,

    /// <summary>Commanded on, contactor closed, current collapsed against the circuit's learned baseline.</summary>
    CableTheft,

    /// <summary>Lamps lit by daylight, when the lighting should be off.</summary>
    DayBurning,

    /// <summary>Insulation resistance below its limit (0.5 MΩ).</summary>
    LowInsulation,

    /// <summary>Residual (leakage) current above its limit (30 mA).</summary>
    HighLeakage,

    /// <summary>Earth resistance above its limit (4 Ω).</summary>
    HighEarthResistance,

    /// <summary>A duration test ended before the rated duration, or the battery fell to cut-off early.</summary>
    FailedDischarge,

    /// <summary>A function test failed: the unit did not switch to battery or the lamp did not light.</summary>
    FailedFunctionTest,

    /// <summary>A controller's clock more than its limit (60 s) off the reference time.</summary>
    ClockDrift,

    /// <summary>No reading from a device for its limit of poll intervals (3).</summary>
    DeviceSilent,

    /// <summary>A gateway's MQTT session lost (its will message).</summary>
    GatewayOffline,

    /// <summary>A cabinet or box door open longer than its limit (5 min).</summary>
    DoorOpen,

    /// <summary>Operator side: a manual override left on.</summary>
    ManualOverrideLeftOn,

    /// <summary>Operator side: a device reporting that no site file knows.</summary>
    UnknownDevice,

    /// <summary>Operator side: a configuration or command the plant rejected.</summary>
    ConfigurationRejected,

    /// <summary>A high mast's lift has latched a fault (overload, overtravel, rope slack, motor overheat).</summary>
    LiftFault,

    /// <summary>A distribution box's main breaker or one of its outgoing breakers is open.</summary>
    BreakerTripped,

    /// <summary>A distribution box's surge protector reports itself spent.</summary>
    SurgeProtectorSpent,

    /// <summary>An emergency unit's charger reports a fault: the battery is not recharged.</summary>
    ChargerFault,

    /// <summary>An emergency unit has lost its mains supply and runs on its battery.</summary>
    MainsLost,

    /// <summary>A distribution box's phase voltage below its limit (100 V): a phase lost.</summary>
    PhaseLost,

    /// <summary>A high mast's lamp ring not at the top of the mast while its lighting is due on.</summary>
    LampRingLowered,
}

/// <summary>Names and facts of <see cref="FaultType"/>.</summary>
public static class FaultTypes
{
    /// <summary>The snake-case name used in storage, JSON, topics and alerts, e.g. <c>mast_outage</c>.</summary>
    public static string ToName(this FaultType fault) => fault switch
    {
        FaultType.MastOutage => "mast_outage",
        FaultType.TotalDark => "total_dark",
        FaultType.SingleLampsDark => "single_lamps_dark",
        FaultType.CableTheft => "cable_theft",
        FaultType.DayBurning => "day_burning",
        FaultType.LowInsulation => "low_insulation",
        FaultType.HighLeakage => "high_leakage",
        FaultType.HighEarthResistance => "high_earth_resistance",
        FaultType.FailedDischarge => "failed_discharge",
        FaultType.FailedFunctionTest => "failed_function_test",
        FaultType.ClockDrift => "clock_drift",
        FaultType.DeviceSilent => "device_silent",
        FaultType.GatewayOffline => "gateway_offline",
        FaultType.DoorOpen => "door_open",
        FaultType.ManualOverrideLeftOn => "manual_override_left_on",
        FaultType.UnknownDevice => "unknown_device",
        FaultType.ConfigurationRejected => "configuration_rejected",
        FaultType.LiftFault => "lift_fault",
        FaultType.BreakerTripped => "breaker_tripped",
        FaultType.SurgeProtectorSpent => "surge_protector_spent",
        FaultType.ChargerFault => "charger_fault",
        FaultType.MainsLost => "mains_lost",
        FaultType.PhaseLost => "phase_lost",
        FaultType.LampRingLowered => "lamp_ring_lowered",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault type"),
    };

    /// <summary>Parses <see cref="ToName"/>'s spelling.</summary>
    public static bool TryParse(string? name, out FaultType fault)
    {
        foreach (var candidate in Enum.GetValues<FaultType>())
        {
            if (candidate.ToName() == name)
            {
                fault = candidate;
                return true;
            }
        }

        fault = default;
        return false;
    }

    /// <summary>
    /// The grade the catalogue gives the fault by default. Their rules raise to 1 at night, when the lighting is due
    /// on: gateway offline, a box's main breaker open, and every phase of a box lost.
    /// </summary>
    public static FaultGrade DefaultGrade(this FaultType fault) => fault switch
    {
        FaultType.TotalDark or FaultType.CableTheft => FaultGrade.Grade1,
        FaultType.MastOutage or FaultType.LowInsulation or FaultType.HighLeakage or FaultType.FailedDischarge
            or FaultType.FailedFunctionTest or FaultType.GatewayOffline or FaultType.LiftFault or FaultType.BreakerTripped
            or FaultType.ChargerFault or FaultType.MainsLost or FaultType.PhaseLost or FaultType.LampRingLowered => FaultGrade.Grade2,
        FaultType.SingleLampsDark or FaultType.DayBurning or FaultType.HighEarthResistance or FaultType.ClockDrift
            or FaultType.DeviceSilent or FaultType.DoorOpen or FaultType.SurgeProtectorSpent => FaultGrade.Grade3,
        FaultType.ManualOverrideLeftOn or FaultType.UnknownDevice or FaultType.ConfigurationRejected => FaultGrade.Grade4,
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault type"),
    };
}
