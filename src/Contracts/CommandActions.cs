namespace Telemetry.Contracts;

/// <summary>
/// The actions of a command on <c>{root}/{site}/{gateway}/cmd/{device}</c>: the gateway carries them out, the Api sends
/// them; one list, so that the two cannot drift apart.
/// </summary>
public static class CommandActions
{
    /// <summary>A circuit (or the device) on or off: <c>on</c>, and <c>circuit</c> on a device with several.</summary>
    public const string Switch = "switch";

    /// <summary>Every circuit handed back to the device's schedule.</summary>
    public const string ResumeSchedule = "resume_schedule";

    /// <summary>The device's clock set to <c>time</c> (the gateway's clock when absent).</summary>
    public const string SetClock = "set_clock";

    public const string StartFunctionTest = "start_function_test";

    public const string StartDurationTest = "start_duration_test";

    /// <summary>A discharge the gateway ends after 60 minutes (domain section 5, twice a year): on the unit a duration test.</summary>
    public const string StartOneHourTest = "start_one_hour_test";

    public const string AbortTest = "abort_test";

    /// <summary>
    /// A high mast's lamp ring raised, lowered or stopped: <c>direction</c> <c>up</c>, <c>down</c> or <c>stop</c>. Up and
    /// down only with the mast's maintenance key on; the two lift coils are never set together.
    /// </summary>
    public const string Lift = "lift";

    /// <summary>A writable point set: <c>point</c>, <c>circuit</c> for a point per circuit, <c>value</c>.</summary>
    public const string Write = "write";

    /// <summary>The directions of <see cref="Lift"/>.</summary>
    public static readonly IReadOnlyList<string> LiftDirections = ["up", "down", "stop"];

    public static readonly IReadOnlyList<string> All = [Switch, ResumeSchedule, SetClock, StartFunctionTest, StartDurationTest, StartOneHourTest, AbortTest, Lift, Write];
}
