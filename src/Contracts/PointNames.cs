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
}
