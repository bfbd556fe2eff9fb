using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Telemetry.Maintenance.Faults;

/// <summary>
/// A kind of fault: what a rule detects and a ticket is about, with its snake-case name (used in storage, JSON,
/// topics and alerts) and the grade it has by default. The domain's catalogue (domain section 2, and the plant signals
/// the product grades itself) is the set of static instances here; a rule may declare a fault type of its own. Names
/// are unique: a second declaration of a name is refused, so each name stands for one instance and equality is identity.
/// </summary>
public sealed class FaultType
{
    // Declared before the instances, which register themselves in it as they are created.
    private static readonly ConcurrentDictionary<string, FaultType> Declared = new(StringComparer.Ordinal);

    public static readonly FaultType MastOutage = new("mast_outage", FaultGrade.Grade2, "Commanded on and more than the outage ratio (40 %) of a mast's or circuit's lamps dark.");

    public static readonly FaultType TotalDark = new("total_dark", FaultGrade.Grade1, "Commanded on and every lamp of a circuit or mast dark, or supply lost at night.");

    public static readonly FaultType SingleLampsDark = new("single_lamps_dark", FaultGrade.Grade3, "Commanded on, at least one lamp dark, at or below the outage ratio.");

    public static readonly FaultType CableTheft = new("cable_theft", FaultGrade.Grade1, "Commanded on, contactor closed, current collapsed against the circuit's learned baseline.");

    public static readonly FaultType DayBurning = new("day_burning", FaultGrade.Grade3, "Lamps lit by daylight, when the lighting should be off.");

    public static readonly FaultType LowInsulation = new("low_insulation", FaultGrade.Grade2, "Insulation resistance below its limit (0.5 MΩ).");

    public static readonly FaultType HighLeakage = new("high_leakage", FaultGrade.Grade2, "Residual (leakage) current above its limit (30 mA).");

    public static readonly FaultType HighEarthResistance = new("high_earth_resistance", FaultGrade.Grade3, "Earth resistance above its limit (4 Ω).");

    public static readonly FaultType FailedDischarge = new("failed_discharge", FaultGrade.Grade2, "A duration test ended before the rated duration, or the battery fell to cut-off early.");

    public static readonly FaultType FailedFunctionTest = new("failed_function_test", FaultGrade.Grade2, "A function test failed: the unit did not switch to battery or the lamp did not light.");

    public static readonly FaultType ClockDrift = new("clock_drift", FaultGrade.Grade3, "A controller's clock more than its limit (60 s) off the reference time.");

    public static readonly FaultType DeviceSilent = new("device_silent", FaultGrade.Grade3, "No reading from a device for its limit of poll intervals (3).");

    public static readonly FaultType GatewayOffline = new("gateway_offline", FaultGrade.Grade2, "A gateway's MQTT session lost (its will message).");

    public static readonly FaultType DoorOpen = new("door_open", FaultGrade.Grade3, "A cabinet or box door open longer than its limit (5 min).");

    public static readonly FaultType ManualOverrideLeftOn = new("manual_override_left_on", FaultGrade.Grade4, "Operator side: a manual override left on.");

    public static readonly FaultType UnknownDevice = new("unknown_device", FaultGrade.Grade4, "Operator side: a device reporting that no site file knows.");

    public static readonly FaultType ConfigurationRejected = new("configuration_rejected", FaultGrade.Grade4, "Operator side: a configuration or command the plant rejected.");

    public static readonly FaultType LiftFault = new("lift_fault", FaultGrade.Grade2, "A high mast's lift has latched a fault (overload, overtravel, rope slack, motor overheat).");

    public static readonly FaultType BreakerTripped = new("breaker_tripped", FaultGrade.Grade2, "A distribution box's main breaker or one of its outgoing breakers is open.");

    public static readonly FaultType SurgeProtectorSpent = new("surge_protector_spent", FaultGrade.Grade3, "A distribution box's surge protector reports itself spent.");

    public static readonly FaultType ChargerFault = new("charger_fault", FaultGrade.Grade2, "An emergency unit's charger reports a fault: the battery is not recharged.");

    public static readonly FaultType MainsLost = new("mains_lost", FaultGrade.Grade2, "An emergency unit has lost its mains supply and runs on its battery.");

    public static readonly FaultType PhaseLost = new("phase_lost", FaultGrade.Grade2, "A distribution box's phase voltage below its limit (100 V): a phase lost.");

    public static readonly FaultType LampRingLowered = new("lamp_ring_lowered", FaultGrade.Grade2, "A high mast's lamp ring not at the top of the mast while its lighting is due on.");

    public static readonly FaultType DataGap = new("data_gap", FaultGrade.Grade3, "Operator side: batches of a gateway's readings a consumer group will never have (no longer held by the gateway, or not delivered when asked again).");

    // After the instances, which it lists.
    private static readonly FaultType[] Catalogue =
    [
        MastOutage,
        TotalDark,
        SingleLampsDark,
        CableTheft,
        DayBurning,
        LowInsulation,
        HighLeakage,
        HighEarthResistance,
        FailedDischarge,
        FailedFunctionTest,
        ClockDrift,
        DeviceSilent,
        GatewayOffline,
        DoorOpen,
        ManualOverrideLeftOn,
        UnknownDevice,
        ConfigurationRejected,
        LiftFault,
        BreakerTripped,
        SurgeProtectorSpent,
        ChargerFault,
        MainsLost,
        PhaseLost,
        LampRingLowered,
        DataGap,
    ];


    /// <summary>Declares a fault type.</summary>
    /// <param name="name">Snake-case name, unique among all fault types: lower-case letters, digits and underscores.</param>
    /// <param name="defaultGrade">The grade it has unless its rule says otherwise (a night raise).</param>
    /// <param name="description">What it means, for people.</param>
    /// <exception cref="ArgumentException">The name is not snake case, or is already declared.</exception>
    public FaultType(string name, FaultGrade defaultGrade, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        if (!IsSnakeCase(name))
        {
            throw new ArgumentException($"'{name}' is not a snake-case fault name", nameof(name));
        }

        if (!Enum.IsDefined(defaultGrade))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultGrade), defaultGrade, "not a grade");
        }

        Name = name;
        Grade = defaultGrade;
        Description = description;
        if (!Declared.TryAdd(name, this))
        {
            throw new ArgumentException($"fault type '{name}' is already declared", nameof(name));
        }
    }

    /// <summary>The domain's fault catalogue, in the order of the spec.</summary>
    public static IReadOnlyList<FaultType> All => Catalogue;

    /// <summary>The snake-case name, e.g. <c>mast_outage</c>.</summary>
    public string Name { get; }

    /// <summary>The grade it has by default.</summary>
    public FaultGrade Grade { get; }

    /// <summary>What it means.</summary>
    public string Description { get; }

    /// <summary>The snake-case name used in storage, JSON, topics and alerts.</summary>
    public string ToName() => Name;

    /// <summary>The grade the catalogue gives the fault by default; some rules raise it (to 1 at night).</summary>
    public FaultGrade DefaultGrade() => Grade;

    /// <summary>The fault type declared with that name, the domain's or a rule's own.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out FaultType? fault)
    {
        fault = null;
        return name is not null && Declared.TryGetValue(name, out fault);
    }

    public override string ToString() => Name;

    private static bool IsSnakeCase(string name) =>
        name.Length <= 64 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
