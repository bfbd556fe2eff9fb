namespace Telemetry.Forecasting.History;

/// <summary>
/// The plant's physics in one place, restated from the simulator (hardware/Simulator/Physics: Battery, Insulation,
/// LampBank), which is an executable and cannot be referenced. Where the simulator runs for minutes and this for
/// years, two things are added and said here: a battery's capacity fade speeds up with its temperature (doubling
/// per 10 °C above 25 °C, the usual rule for lead-acid), and the site's humidity has a season. Lamp lifetimes are
/// Weibull in burning hours; shape 1 is the simulator's exponential.
/// </summary>
public static class PlantPhysics
{
    /// <summary>Volts of a loaded, full 24 V battery (simulator: Battery.LoadedStartVolts).</summary>
    public const double LoadedStartVolts = 25.6;

    /// <summary>Minutes a new, full battery supplies its load relative to the rated duration (simulator: BatteryRuntimeMargin).</summary>
    public const double RuntimeMargin = 1.3;

    /// <summary>Capacity lost per year at 25 °C (simulator: BatteryHealthLossPerYear).</summary>
    public const double HealthLossPerYear = 0.05;

    /// <summary>Insulation resistance of a new installation, in MΩ (simulator: NewInsulationMohm).</summary>
    public const double NewInsulationMohm = 400;

    /// <summary>Battery voltage while supplying the load at <paramref name="depth"/> of discharge (0 full, 1 empty): plateau, then the knee.</summary>
    public static double DischargeVolts(double depth, double cutoffVolts) =>
        cutoffVolts + ((LoadedStartVolts - cutoffVolts) * (1 - (0.48 * depth) - (0.52 * Math.Pow(depth, 8))));

    /// <summary>The depth of discharge at which the loaded battery shows <paramref name="volts"/> (the inverse of <see cref="DischargeVolts"/>).</summary>
    public static double DepthAt(double volts, double cutoffVolts)
    {
        double low = 0, high = 1;
        for (var i = 0; i < 50; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = DischargeVolts(middle, cutoffVolts) > volts ? (middle, high) : (low, middle);
        }

        return (low + high) / 2;
    }

    /// <summary>Yearly capacity fade of a battery kept at <paramref name="meanTemperatureC"/>.</summary>
    public static double FadePerYear(double meanTemperatureC, double unitFactor) =>
        HealthLossPerYear * Math.Pow(2, (meanTemperatureC - 25) / 10) * unitFactor;

    /// <summary>Minutes a full battery supplies its load (simulator: Battery.FullRuntime).</summary>
    public static double FullRuntimeMinutes(double ratedMinutes, double health) => ratedMinutes * RuntimeMargin * Math.Max(health, 0.001);

    /// <summary>Insulation resistance to earth, in MΩ (simulator: Insulation.ResistanceMohm).</summary>
    public static double InsulationMohm(double newMohm, double ageYears, double ageingYears, double humidityPercent) =>
        newMohm * Math.Exp(-ageYears / ageingYears) * HumidityFactor(humidityPercent);

    /// <summary>1 up to 60 % RH, then falling by e every 12 points (simulator: Insulation.HumidityFactor).</summary>
    public static double HumidityFactor(double humidityPercent) =>
        humidityPercent <= 60 ? 1 : Math.Exp(-(humidityPercent - 60) / 12);

    /// <summary>Hours from sunset to sunrise on <paramref name="date"/> at <paramref name="latitude"/>: how long lamps burn that night.</summary>
    public static double NightHours(DateOnly date, double latitude)
    {
        var declination = -23.44 * Math.Cos(2 * Math.PI * (date.DayOfYear + 10) / 365.0) * Math.PI / 180;
        var phi = latitude * Math.PI / 180;
        // Sunset at −0.833° (refraction and the sun's radius), as the simulator's Climate.IsDark.
        var cosHour = (Math.Sin(-0.833 * Math.PI / 180) - (Math.Sin(phi) * Math.Sin(declination))) / (Math.Cos(phi) * Math.Cos(declination));
        var dayHours = 24 / Math.PI * Math.Acos(Math.Clamp(cosHour, -1, 1));
        return 24 - dayHours;
    }
}
