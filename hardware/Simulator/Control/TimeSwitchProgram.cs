namespace Telemetry.Simulator.Control;

/// <summary>The switching modes of a light/time controller output (<c>schedule_mode</c> labels).</summary>
public enum OutputMode
{
    Off = 0,
    Time = 1,
    Astronomical = 2,
    Lux = 3,
    TimeAndLux = 4,
}

/// <summary>
/// One output of a light/time controller: its program (mode, on/off times, lux threshold, astronomical offset),
/// evaluated in the controller's own (possibly drifting) local time, and a forced state that holds until the
/// program next switches.
/// </summary>
public sealed class TimeSwitchProgram
{
    private bool? lastProgrammed;
    private bool? forced;
    private bool luxLatched;

    public OutputMode Mode { get; set; } = OutputMode.Time;

    /// <summary>Switch-on time, minutes after local midnight.</summary>
    public int OnMinute { get; set; } = 18 * 60;

    /// <summary>Switch-off time, minutes after local midnight.</summary>
    public int OffMinute { get; set; } = 6 * 60;

    /// <summary>Photocell threshold in lux (0: the photocell does not switch this output, for controllers without modes).</summary>
    public double LuxThreshold { get; set; }

    /// <summary>Minutes added to sunset and sunrise in astronomical mode.</summary>
    public int AstronomicalOffset { get; set; }

    /// <summary>Whether the output is on (after the last <see cref="Evaluate"/>).</summary>
    public bool IsOn { get; private set; }

    /// <summary>Forces the output until the program next switches (a write of the output).</summary>
    public void Force(bool on)
    {
        forced = on;
        IsOn = on;
    }

    /// <summary>Decides the output.</summary>
    /// <param name="localMinute">The controller's local time of day, in minutes.</param>
    /// <param name="lux">What the photocell reads.</param>
    /// <param name="sunsetMinute">Today's sunset, local minutes.</param>
    /// <param name="sunriseMinute">Today's sunrise, local minutes.</param>
    /// <param name="modeless">True for controllers without modes: on in the time window, or below a non-zero lux threshold.</param>
    public void Evaluate(double localMinute, double lux, int sunsetMinute, int sunriseMinute, bool modeless)
    {
        // Hysteresis: on below the threshold, off only above twice of it, so dusk does not make it flicker.
        luxLatched = LuxThreshold > 0 && (luxLatched ? lux < 2 * LuxThreshold : lux < LuxThreshold);
        var programmed = modeless
            ? InWindow(localMinute, OnMinute, OffMinute) || luxLatched
            : Mode switch
            {
                OutputMode.Time => InWindow(localMinute, OnMinute, OffMinute),
                OutputMode.Astronomical => InWindow(localMinute, Wrap(sunsetMinute + AstronomicalOffset), Wrap(sunriseMinute + AstronomicalOffset)),
                OutputMode.Lux => luxLatched,
                OutputMode.TimeAndLux => InWindow(localMinute, OnMinute, OffMinute) && luxLatched,
                _ => false,
            };
        if (lastProgrammed is { } before && before != programmed)
        {
            forced = null;
        }

        lastProgrammed = programmed;
        IsOn = forced ?? programmed;
    }

    /// <summary>Whether <paramref name="minute"/> lies in [on, off), across midnight when off is earlier than on.</summary>
    public static bool InWindow(double minute, int on, int off) =>
        on == off ? false : on < off ? minute >= on && minute < off : minute >= on || minute < off;

    private static int Wrap(int minute) => ((minute % 1440) + 1440) % 1440;
}
