namespace Telemetry.Simulator.Clock;

/// <summary>How simulated time moves.</summary>
public enum ClockMode
{
    /// <summary>With real time, times a speed factor (1 for live demos with a gateway, 60 to run a 90-minute battery test in 90 s).</summary>
    Scaled,

    /// <summary>Only when told (<see cref="SimulationClock.Advance"/>): tests step the plant exactly.</summary>
    Manual,
}

/// <summary>
/// The simulator's time: real time scaled by a speed factor, or time that moves only when advanced.
/// Timestamps are simulated ticks, so elapsed-time arithmetic on this provider is in simulated time.
/// Timers are not simulated: the simulator polls <see cref="GetUtcNow"/> from its own loop.
/// </summary>
public sealed class SimulationClock : TimeProvider
{
    private readonly TimeProvider real;
    private readonly Lock gate = new();
    private DateTimeOffset origin;
    private long realOrigin;
    private double speed;

    public SimulationClock(TimeProvider real, DateTimeOffset start, ClockMode mode, double speed)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (!(speed > 0) || speed > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The speed must be above 0 and at most 100000.");
        }

        this.real = real;
        origin = start;
        realOrigin = real.GetTimestamp();
        Mode = mode;
        this.speed = speed;
    }

    public ClockMode Mode { get; private set; }

    /// <summary>Simulated seconds per real second in <see cref="ClockMode.Scaled"/>.</summary>
    public double Speed
    {
        get
        {
            lock (gate)
            {
                return speed;
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return NowLocked();
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves simulated time forward by <paramref name="delta"/> (in either mode).</summary>
    public DateTimeOffset Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Simulated time only moves forward.");
        }

        lock (gate)
        {
            origin += delta;
            return NowLocked();
        }
    }

    /// <summary>Changes mode and speed from now on; simulated time continues from where it is.</summary>
    public void Change(ClockMode mode, double newSpeed)
    {
        if (!(newSpeed > 0) || newSpeed > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(newSpeed), newSpeed, "The speed must be above 0 and at most 100000.");
        }

        lock (gate)
        {
            origin = NowLocked();
            realOrigin = real.GetTimestamp();
            Mode = mode;
            speed = newSpeed;
        }
    }

    private DateTimeOffset NowLocked() => Mode == ClockMode.Manual
        ? origin
        : origin + (real.GetElapsedTime(realOrigin) * speed);
}
