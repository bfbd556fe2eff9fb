using System.Globalization;

namespace Telemetry.Contracts;

/// <summary>The value names (hardware profiles' semantic point names) the rules read.</summary>
public static class PointNames
{
    public const string CommandedOn = "commanded_on";
    public const string ContactorClosed = "contactor_closed";
    public const string LampsInstalled = "lamps_installed";
    public const string LampsLit = "lamps_lit";
    public const string CurrentA = "current_a";
    public const string CurrentL1A = "current_l1_a";
    public const string CurrentL2A = "current_l2_a";
    public const string CurrentL3A = "current_l3_a";
    public const string OutputOn = "output_on";
    public const string AmbientLux = "ambient_lux";
    public const string SupplyPresent = "supply_present";
    public const string DoorOpen = "door_open";
    public const string ManualOverride = "manual_override";
    public const string InsulationMohm = "insulation_mohm";
    public const string ResidualCurrentMa = "residual_current_ma";
    public const string EarthResistanceOhm = "earth_resistance_ohm";
    public const string ClockUnixS = "clock_unix_s";
    public const string ClockYear = "clock_year";
    public const string ClockMonth = "clock_month";
    public const string ClockDay = "clock_day";
    public const string ClockHour = "clock_hour";
    public const string ClockMinute = "clock_minute";
    public const string ClockSecond = "clock_second";
    public const string LiftFault = "lift_fault";
    public const string LiftFaultCode = "lift_fault_code";
    public const string LiftPosition = "lift_position";
    public const string LiftMotorState = "lift_motor_state";
    public const string MaintenanceKey = "maintenance_key";
    public const string BreakerMainClosed = "breaker_main_closed";
    public const string SurgeProtectorFailed = "surge_protector_failed";
    public const string VoltageL1V = "voltage_l1_v";
    public const string VoltageL2V = "voltage_l2_v";
    public const string VoltageL3V = "voltage_l3_v";
    public const string MainsPresent = "mains_present";
    public const string OnBattery = "on_battery";
    public const string ChargerFault = "charger_fault";
    public const string ChargeState = "charge_state";
    public const string BatteryVoltageV = "battery_voltage_v";

    /// <summary>The auxiliary contact of outgoing breaker <paramref name="number"/> (1-based): <c>breaker_3_closed</c>.</summary>
    public static string OutgoingBreakerClosed(int number) => string.Create(CultureInfo.InvariantCulture, $"breaker_{number}_closed");
}
