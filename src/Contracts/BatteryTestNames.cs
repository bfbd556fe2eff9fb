namespace Telemetry.Contracts;

/// <summary>The attribute values of the battery-test events (<c>test</c>, <c>trigger</c>, <c>reason</c>).</summary>
public static class BatteryTestNames
{
    /// <summary><c>test</c>: the unit switched to battery briefly (monthly).</summary>
    public const string Function = "function";

    /// <summary><c>test</c>: the full discharge to the rated duration (yearly).</summary>
    public const string Duration = "duration";

    /// <summary><c>test</c>: a discharge the gateway ends after 60 min (twice a year).</summary>
    public const string OneHour = "one_hour";

    /// <summary><c>trigger</c>: the gateway's own schedule started the test.</summary>
    public const string Schedule = "schedule";

    /// <summary><c>trigger</c>: an operator's command started the test.</summary>
    public const string Command = "command";

    /// <summary><c>reason</c> of a postponement: the unit has no mains to recharge from.</summary>
    public const string MainsAbsent = "mains_absent";

    /// <summary><c>reason</c> of a postponement: the unit's charger is faulty or its last test failed.</summary>
    public const string UnitFaulty = "unit_faulty";
}
