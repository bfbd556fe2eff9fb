using Telemetry.Contracts;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>A planned maintenance task of domain section 5; its checklist, readings and plant are in <see cref="MaintenanceTasks"/>.</summary>
public enum MaintenanceTask
{
    /// <summary>High-mast patrol (巡检), 4 times a week.</summary>
    HighMastPatrol,

    /// <summary>High-mast pole-top box check, weekly.</summary>
    PoleTopBoxCheck,

    /// <summary>High-mast lifting mechanism, cable and wire rope service, every 6 months.</summary>
    LiftingMechanismService,

    /// <summary>Earth resistance test (at most 4 Ω) and corrosion check of masts and street poles, yearly.</summary>
    EarthResistanceTest,

    /// <summary>Street lighting lantern cleaning and terminal tightening, every 6 months.</summary>
    LanternCleaning,

    /// <summary>LV cable insulation test with a 500 V megger (at least 0.5 MΩ), yearly.</summary>
    InsulationTest,

    /// <summary>Light/time controller calibration, yearly.</summary>
    ControllerCalibration,

    /// <summary>Distribution box RCD (leakage breaker) test and fuse check, monthly.</summary>
    RcdFuseCheck,

    /// <summary>Dual-supply changeover test, every 6 months, on boxes with a dual supply.</summary>
    ChangeoverTest,

    /// <summary>Emergency lighting function check, monthly.</summary>
    EmergencyFunctionCheck,

    /// <summary>Emergency lighting 1 h test run, twice a year.</summary>
    EmergencyOneHourTest,

    /// <summary>Emergency lighting full discharge of the battery, yearly.</summary>
    EmergencyFullDischarge,

    /// <summary>Special patrol before a public holiday of the site's calendar.</summary>
    HolidayPatrol,

    /// <summary>Special patrol before extreme weather an operator declared.</summary>
    WeatherPatrol,

    /// <summary>Replace an emergency battery before its forecast end of life (domain section 7), a grade-3 predictive work order.</summary>
    PredictiveBatteryReplacement,

    /// <summary>Find and repair the insulation of a box's circuit before it is forecast to fall below 0.5 MΩ, a grade-3 predictive work order.</summary>
    PredictiveInsulationRepair,
}

/// <summary>What each <see cref="MaintenanceTask"/> is done on, how often by default, what it checks and what it measures.</summary>
public static class MaintenanceTasks
{
    private static readonly DeviceFamily[] Masts = [DeviceFamily.HighMast];
    private static readonly DeviceFamily[] StreetLighting = [DeviceFamily.StreetController];
    private static readonly DeviceFamily[] Boxes = [DeviceFamily.DistributionBox];
    private static readonly DeviceFamily[] Emergency = [DeviceFamily.EmergencyBattery];
    private static readonly DeviceFamily[] Patrolled = [DeviceFamily.HighMast, DeviceFamily.StreetController];

    /// <summary>The tasks that recur on an interval (every task but the special patrols and the predictive work orders).</summary>
    public static IReadOnlyList<MaintenanceTask> Recurring { get; } =
        [.. Enum.GetValues<MaintenanceTask>().Where(t => t is not (MaintenanceTask.HolidayPatrol or MaintenanceTask.WeatherPatrol) && !t.IsPredictive())];

    /// <summary>Whether the task is opened by a forecast (domain section 7) rather than by the schedule.</summary>
    public static bool IsPredictive(this MaintenanceTask task) =>
        task is MaintenanceTask.PredictiveBatteryReplacement or MaintenanceTask.PredictiveInsulationRepair;

    /// <summary>The tasks a crew may be on when it passes an asset, in which it carries the spare lamps a forecast asks for.</summary>
    public static bool IsPatrol(this MaintenanceTask task) =>
        task is MaintenanceTask.HighMastPatrol or MaintenanceTask.HolidayPatrol or MaintenanceTask.WeatherPatrol or MaintenanceTask.LanternCleaning;

    /// <summary>The spelling used in storage, JSON and queries: <c>high_mast_patrol</c>, <c>rcd_fuse_check</c>, ...</summary>
    public static string ToName(this MaintenanceTask task) => task switch
    {
        MaintenanceTask.HighMastPatrol => "high_mast_patrol",
        MaintenanceTask.PoleTopBoxCheck => "pole_top_box_check",
        MaintenanceTask.LiftingMechanismService => "lifting_mechanism_service",
        MaintenanceTask.EarthResistanceTest => "earth_resistance_test",
        MaintenanceTask.LanternCleaning => "lantern_cleaning",
        MaintenanceTask.InsulationTest => "insulation_test",
        MaintenanceTask.ControllerCalibration => "controller_calibration",
        MaintenanceTask.RcdFuseCheck => "rcd_fuse_check",
        MaintenanceTask.ChangeoverTest => "changeover_test",
        MaintenanceTask.EmergencyFunctionCheck => "emergency_function_check",
        MaintenanceTask.EmergencyOneHourTest => "emergency_one_hour_test",
        MaintenanceTask.EmergencyFullDischarge => "emergency_full_discharge",
        MaintenanceTask.HolidayPatrol => "holiday_patrol",
        MaintenanceTask.WeatherPatrol => "weather_patrol",
        MaintenanceTask.PredictiveBatteryReplacement => "predictive_battery_replacement",
        MaintenanceTask.PredictiveInsulationRepair => "predictive_insulation_repair",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown maintenance task"),
    };

    /// <summary>Parses <see cref="ToName"/>'s spelling.</summary>
    public static bool TryParse(string? name, out MaintenanceTask task)
    {
        foreach (var candidate in Enum.GetValues<MaintenanceTask>())
        {
            if (candidate.ToName() == name)
            {
                task = candidate;
                return true;
            }
        }

        task = default;
        return false;
    }

    /// <summary>The plant families the task is done on.</summary>
    public static IReadOnlyList<DeviceFamily> Families(this MaintenanceTask task) => task switch
    {
        MaintenanceTask.HighMastPatrol or MaintenanceTask.PoleTopBoxCheck or MaintenanceTask.LiftingMechanismService => Masts,
        MaintenanceTask.EarthResistanceTest => Patrolled,
        MaintenanceTask.LanternCleaning => StreetLighting,
        MaintenanceTask.InsulationTest => [DeviceFamily.StreetController, DeviceFamily.DistributionBox],
        MaintenanceTask.ControllerCalibration => [DeviceFamily.LightTimeController],
        MaintenanceTask.RcdFuseCheck or MaintenanceTask.ChangeoverTest or MaintenanceTask.PredictiveInsulationRepair => Boxes,
        MaintenanceTask.EmergencyFunctionCheck or MaintenanceTask.EmergencyOneHourTest or MaintenanceTask.EmergencyFullDischarge
            or MaintenanceTask.PredictiveBatteryReplacement => Emergency,
        MaintenanceTask.HolidayPatrol or MaintenanceTask.WeatherPatrol => Patrolled,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown maintenance task"),
    };

    /// <summary>Whether the task is done on <paramref name="family"/>; the changeover test only where the box has a dual supply.</summary>
    public static bool AppliesTo(this MaintenanceTask task, DeviceFamily family, bool dualSupply) =>
        task.Families().Contains(family) && (task != MaintenanceTask.ChangeoverTest || dualSupply);

    /// <summary>The interval of domain section 5; engineers may change it (<see cref="IMaintenanceIntervalStore"/>).</summary>
    public static MaintenanceInterval DefaultInterval(this MaintenanceTask task) => task switch
    {
        MaintenanceTask.HighMastPatrol => new(4, IntervalPeriod.Week),
        MaintenanceTask.PoleTopBoxCheck => new(1, IntervalPeriod.Week),
        MaintenanceTask.LiftingMechanismService or MaintenanceTask.LanternCleaning or MaintenanceTask.ChangeoverTest
            or MaintenanceTask.EmergencyOneHourTest => new(2, IntervalPeriod.Year),
        MaintenanceTask.EarthResistanceTest or MaintenanceTask.InsulationTest or MaintenanceTask.ControllerCalibration
            or MaintenanceTask.EmergencyFullDischarge => new(1, IntervalPeriod.Year),
        MaintenanceTask.RcdFuseCheck or MaintenanceTask.EmergencyFunctionCheck => new(1, IntervalPeriod.Month),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "a special patrol or a predictive work order has no interval"),
    };

    /// <summary>The items the crew ticks off, by code (the web shows each in the reader's language).</summary>
    public static IReadOnlyList<string> Checklist(this MaintenanceTask task) => task switch
    {
        MaintenanceTask.HighMastPatrol or MaintenanceTask.HolidayPatrol or MaintenanceTask.WeatherPatrol =>
            ["lamps_lit", "pole_and_foundation", "door_and_lock", "surroundings"],
        MaintenanceTask.PoleTopBoxCheck => ["box_sealed", "wiring_and_terminals", "surge_protector"],
        MaintenanceTask.LiftingMechanismService => ["winch_and_brake", "wire_rope", "cable", "lubrication", "limit_switches"],
        MaintenanceTask.EarthResistanceTest => ["earth_connection", "corrosion"],
        MaintenanceTask.LanternCleaning => ["lanterns_cleaned", "terminals_tightened"],
        MaintenanceTask.InsulationTest => ["circuits_isolated", "megger_500v"],
        MaintenanceTask.ControllerCalibration => ["clock_set", "photocell_checked", "schedule_checked"],
        MaintenanceTask.RcdFuseCheck => ["rcd_test_button", "rcd_trip_time", "fuses"],
        MaintenanceTask.ChangeoverTest => ["switch_to_standby", "switch_back"],
        MaintenanceTask.EmergencyFunctionCheck => ["switches_to_battery", "lamps_light_on_battery"],
        MaintenanceTask.EmergencyOneHourTest => ["ran_one_hour", "recharging"],
        MaintenanceTask.EmergencyFullDischarge => ["ran_rated_duration", "recharging"],
        MaintenanceTask.PredictiveBatteryReplacement => ["battery_replaced", "switches_to_battery", "lamps_light_on_battery", "recharging"],
        MaintenanceTask.PredictiveInsulationRepair => ["circuits_isolated", "fault_located", "cable_or_joint_repaired", "megger_500v"],
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown maintenance task"),
    };

    /// <summary>The readings the crew must enter to complete the task (value names with their unit suffix).</summary>
    public static IReadOnlyList<string> RequiredReadings(this MaintenanceTask task) => task switch
    {
        MaintenanceTask.EarthResistanceTest => [PointNames.EarthResistanceOhm],
        MaintenanceTask.InsulationTest or MaintenanceTask.PredictiveInsulationRepair => [PointNames.InsulationMohm],
        _ => [],
    };

    /// <summary>The readings the crew may enter beside the required ones.</summary>
    public static IReadOnlyList<string> OptionalReadings(this MaintenanceTask task) => task switch
    {
        MaintenanceTask.EmergencyOneHourTest or MaintenanceTask.EmergencyFullDischarge => ["runtime_min", "battery_voltage_v"],
        MaintenanceTask.PredictiveBatteryReplacement => ["battery_voltage_v"],
        MaintenanceTask.RcdFuseCheck => ["rcd_trip_ms", PointNames.InsulationMohm, PointNames.EarthResistanceOhm],
        MaintenanceTask.ControllerCalibration => ["clock_offset_s"],
        MaintenanceTask.HighMastPatrol or MaintenanceTask.HolidayPatrol or MaintenanceTask.WeatherPatrol => ["lamps_dark"],
        _ => [],
    };
}
