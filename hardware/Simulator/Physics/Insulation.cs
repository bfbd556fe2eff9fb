namespace Telemetry.Simulator.Physics;

/// <summary>
/// Insulation resistance of an LV installation to earth: high when new, falling exponentially with age and
/// steeply with humidity (moisture in joints and glands), as a 500 V megger test would read it.
/// </summary>
public static class Insulation
{
    public static double ResistanceMohm(double newMohm, double ageYears, double ageingYears, double humidityPercent) =>
        newMohm * Math.Exp(-ageYears / ageingYears) * HumidityFactor(humidityPercent);

    /// <summary>1 up to 60 % RH, then falling by e every 12 points.</summary>
    public static double HumidityFactor(double humidityPercent) =>
        humidityPercent <= 60 ? 1 : Math.Exp(-(humidityPercent - 60) / 12);

    /// <summary>Residual current in mA: cable capacitance and surface leakage (rising with humidity) plus what flows through the insulation.</summary>
    public static double ResidualCurrentMa(double baseMa, double humidityPercent, double insulationMohm, double volts) =>
        baseMa + (4 * Math.Max(0, humidityPercent - 50) / 50) + (volts / 1000 / Math.Max(insulationMohm, 0.001));
}

/// <summary>A controller's real-time clock: it runs fast or slow by some ppm and can be set.</summary>
public sealed class DriftingClock
{
    private DateTimeOffset anchorTrue;
    private DateTimeOffset anchorShown;

    public DriftingClock(DateTimeOffset now, TimeSpan initialError, double ppm)
    {
        anchorTrue = now;
        anchorShown = now + initialError;
        Ppm = ppm;
    }

    /// <summary>Parts per million the clock gains (positive) or loses.</summary>
    public double Ppm { get; private set; }

    /// <summary>What the clock shows at true time <paramref name="now"/>.</summary>
    public DateTimeOffset Shown(DateTimeOffset now) => anchorShown + ((now - anchorTrue) * (1 + (Ppm * 1e-6)));

    /// <summary>How far the clock is ahead of true time.</summary>
    public TimeSpan Error(DateTimeOffset now) => Shown(now) - now;

    /// <summary>Sets the clock (a write of the clock registers).</summary>
    public void Set(DateTimeOffset shown, DateTimeOffset now)
    {
        anchorTrue = now;
        anchorShown = shown;
    }

    /// <summary>Changes the drift from now on.</summary>
    public void SetDrift(double ppm, DateTimeOffset now)
    {
        Set(Shown(now), now);
        Ppm = ppm;
    }

    /// <summary>Jumps the clock by <paramref name="offset"/> (a glitch, a battery-backed RTC reset).</summary>
    public void Jump(TimeSpan offset, DateTimeOffset now) => Set(Shown(now) + offset, now);
}
