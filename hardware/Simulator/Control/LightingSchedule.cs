using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Control;

/// <summary>
/// The astronomical schedule the site's lighting follows: on from sunset to sunrise (the sun's upper limb at
/// the horizon), optionally shifted. Street controllers and masts switch by it unless commanded otherwise.
/// </summary>
public sealed class LightingSchedule
{
    private readonly Climate climate;

    public LightingSchedule(Climate climate)
    {
        this.climate = climate;
    }

    /// <summary>Whether the schedule has lighting on at <paramref name="time"/>.</summary>
    public bool IsOn(DateTimeOffset time) => climate.SunElevation(time) < -0.833;
}

/// <summary>How a circuit is told to switch.</summary>
public enum SwitchMode
{
    /// <summary>Off by remote command.</summary>
    ForcedOff = 0,

    /// <summary>On by remote command.</summary>
    ForcedOn = 1,

    /// <summary>Following the schedule.</summary>
    Schedule = 2,
}

/// <summary>
/// One switched circuit: the commanded state (schedule or remote command), and a contactor that follows it
/// when its coil has supply, unless it is welded closed (the day-burning fault) or a hand switch holds it.
/// </summary>
public sealed class CircuitSwitch
{
    private readonly LightingSchedule schedule;
    private readonly bool commandLastsUntilScheduleChanges;
    private bool? lastScheduled;

    /// <param name="schedule">The schedule followed in <see cref="SwitchMode.Schedule"/>.</param>
    /// <param name="commandLastsUntilScheduleChanges">
    /// True for controllers without a "resume schedule" command: a remote on/off holds until the schedule next
    /// switches. False: it holds until the schedule is resumed.
    /// </param>
    public CircuitSwitch(LightingSchedule schedule, bool commandLastsUntilScheduleChanges)
    {
        this.schedule = schedule;
        this.commandLastsUntilScheduleChanges = commandLastsUntilScheduleChanges;
    }

    public SwitchMode Mode { get; private set; } = SwitchMode.Schedule;

    /// <summary>The contactor is welded closed: it stays closed whatever the command.</summary>
    public bool Welded { get; set; }

    /// <summary>The cabinet's hand/auto selector is in hand: the contactor is closed locally.</summary>
    public bool HandOn { get; set; }

    /// <summary>Whether the contactor is closed (after the last <see cref="Advance"/>).</summary>
    public bool ContactorClosed { get; private set; }

    public void Command(SwitchMode mode) => Mode = mode;

    /// <summary>The commanded state at <paramref name="time"/>.</summary>
    public bool CommandedOn(DateTimeOffset time) => Mode switch
    {
        SwitchMode.ForcedOn => true,
        SwitchMode.ForcedOff => false,
        _ => schedule.IsOn(time),
    };

    /// <summary>Moves the contactor to follow the command (its coil needs <paramref name="supplyPresent"/>).</summary>
    public void Advance(DateTimeOffset time, bool supplyPresent)
    {
        var scheduled = schedule.IsOn(time);
        if (commandLastsUntilScheduleChanges && Mode != SwitchMode.Schedule && lastScheduled is { } before && before != scheduled)
        {
            Mode = SwitchMode.Schedule;
        }

        lastScheduled = scheduled;
        ContactorClosed = Welded || (supplyPresent && (HandOn || CommandedOn(time)));
    }
}
