using Telemetry.Contracts;

namespace Telemetry.Simulator.Faults;

/// <summary>What can go wrong with a simulated device. JSON names are snake_case (<c>lamps_dark</c>).</summary>
public enum FaultKind
{
    /// <summary>Lamps of a mast or circuit dark (<c>count</c>, <c>circuit</c>).</summary>
    LampsDark,

    /// <summary>The feeder is cut beyond the cabinet: no current although the contactor is closed (<c>circuit</c>).</summary>
    CableCut,

    /// <summary>The contactor is welded closed: lamps burn whatever the command, by day too (<c>circuit</c>).</summary>
    ContactorWelded,

    /// <summary>The cabinet's hand/auto selector left in hand: every circuit on, <c>manual_override</c> set.</summary>
    ManualOverride,

    /// <summary>The incoming supply is lost.</summary>
    SupplyLoss,

    /// <summary>The cabinet, box or pole-base door is open.</summary>
    DoorOpen,

    /// <summary>Insulation resistance down to <c>mohm</c>.</summary>
    LowInsulation,

    /// <summary>Residual current up to <c>ma</c>.</summary>
    HighLeakage,

    /// <summary>Earth resistance up to <c>ohm</c>.</summary>
    HighEarthResistance,

    /// <summary>A breaker tripped (<c>breaker</c>: 0 the main, 1-8 outgoing).</summary>
    BreakerTrip,

    /// <summary>The surge protector's remote-signalling contact reports it spent.</summary>
    SurgeProtectorFailed,

    /// <summary>The emergency battery has aged to a state of health <c>health</c> (0-1): shorter runtime.</summary>
    BatteryAged,

    /// <summary>The emergency unit fails its function test (does not switch to battery).</summary>
    FunctionTestFail,

    /// <summary>The emergency unit's charger is faulty: no recharge, <c>charger_fault</c> set.</summary>
    ChargerFault,

    /// <summary>The controller's clock drifts by <c>ppm</c> and/or jumps by <c>offset_s</c>.</summary>
    ClockDrift,

    /// <summary>The mast's lift latched fault <c>code</c> (1 overload, 2 overtravel, 3 rope slack, 4 motor overheat).</summary>
    LiftFault,

    /// <summary>The mast's maintenance key switch is on: lift commands are accepted.</summary>
    MaintenanceKey,

    /// <summary>The device does not answer at all.</summary>
    Silent,

    /// <summary>The device answers after <c>delay_ms</c>.</summary>
    Slow,

    /// <summary>The device answers every request with Modbus exception <c>code</c>.</summary>
    Exception,
}

/// <summary>Names and applicability of <see cref="FaultKind"/>.</summary>
public static class FaultKinds
{
    private static readonly DeviceFamily[] Lighting = [DeviceFamily.StreetController, DeviceFamily.HighMast];
    private static readonly DeviceFamily[] All = Enum.GetValues<DeviceFamily>();

    public static string ToJsonName(this FaultKind kind) => kind switch
    {
        FaultKind.LampsDark => "lamps_dark",
        FaultKind.CableCut => "cable_cut",
        FaultKind.ContactorWelded => "contactor_welded",
        FaultKind.ManualOverride => "manual_override",
        FaultKind.SupplyLoss => "supply_loss",
        FaultKind.DoorOpen => "door_open",
        FaultKind.LowInsulation => "low_insulation",
        FaultKind.HighLeakage => "high_leakage",
        FaultKind.HighEarthResistance => "high_earth_resistance",
        FaultKind.BreakerTrip => "breaker_trip",
        FaultKind.SurgeProtectorFailed => "surge_protector_failed",
        FaultKind.BatteryAged => "battery_aged",
        FaultKind.FunctionTestFail => "function_test_fail",
        FaultKind.ChargerFault => "charger_fault",
        FaultKind.ClockDrift => "clock_drift",
        FaultKind.LiftFault => "lift_fault",
        FaultKind.MaintenanceKey => "maintenance_key",
        FaultKind.Silent => "silent",
        FaultKind.Slow => "slow",
        FaultKind.Exception => "exception",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown fault"),
    };

    public static bool TryParse(string? name, out FaultKind kind)
    {
        foreach (var candidate in Enum.GetValues<FaultKind>())
        {
            if (candidate.ToJsonName() == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static IEnumerable<string> Names => Enum.GetValues<FaultKind>().Select(k => k.ToJsonName());

    /// <summary>The families a fault makes sense for.</summary>
    public static IReadOnlyList<DeviceFamily> Families(this FaultKind kind) => kind switch
    {
        FaultKind.LampsDark or FaultKind.CableCut or FaultKind.ContactorWelded => Lighting,
        FaultKind.ManualOverride => [DeviceFamily.StreetController],
        FaultKind.DoorOpen => [DeviceFamily.StreetController, DeviceFamily.HighMast, DeviceFamily.DistributionBox],
        FaultKind.LowInsulation or FaultKind.HighLeakage or FaultKind.HighEarthResistance or FaultKind.BreakerTrip or FaultKind.SurgeProtectorFailed => [DeviceFamily.DistributionBox],
        FaultKind.BatteryAged or FaultKind.FunctionTestFail or FaultKind.ChargerFault => [DeviceFamily.EmergencyBattery],
        FaultKind.ClockDrift => [DeviceFamily.LightTimeController],
        FaultKind.LiftFault or FaultKind.MaintenanceKey => [DeviceFamily.HighMast],
        _ => All,
    };

    /// <summary>Whether the fault is held per circuit (several at once on one device).</summary>
    public static bool IsPerCircuit(this FaultKind kind) => kind is FaultKind.LampsDark or FaultKind.CableCut or FaultKind.ContactorWelded;
}
