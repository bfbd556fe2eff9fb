namespace Telemetry.Simulator.Physics;

/// <summary>
/// The weather of a site: daylight from the sun's elevation, air temperature and humidity with a daily
/// cycle, all with slow deterministic wander.
/// </summary>
public sealed class Climate
{
    private readonly double latitude;
    private readonly double longitude;
    private readonly TimeZoneInfo timeZone;
    private readonly DeterministicNoise noise;

    public Climate(double latitude, double longitude, TimeZoneInfo timeZone, int seed, PhysicsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(settings);
        this.latitude = latitude;
        this.longitude = longitude;
        this.timeZone = timeZone;
        Settings = settings;
        noise = new DeterministicNoise(seed, "climate");
    }

    public PhysicsSettings Settings { get; }

    public TimeZoneInfo TimeZone => timeZone;

    public double Latitude => latitude;

    public double Longitude => longitude;

    public double SunElevation(DateTimeOffset time) => SolarPosition.Elevation(time, latitude, longitude);

    /// <summary>Horizontal illuminance in lux: about 100 klx in clear sun, 400 lx at sunset, moonlight at night; clouds wander.</summary>
    public double Lux(DateTimeOffset time)
    {
        var elevation = SunElevation(time);
        double clear = elevation switch
        {
            >= 0 => 400 + (110_000 * Math.Pow(Math.Sin(elevation * Math.PI / 180), 1.15)),
            >= -6 => 400 * Math.Pow(10, elevation / 2), // civil twilight: 400 lx at sunset down to 0.4 lx
            _ => 0.3,
        };
        var cloud = 0.75 + (0.25 * noise.Smooth("cloud", time, TimeSpan.FromMinutes(40)));
        return Math.Max(0.1, clear * cloud);
    }

    /// <summary>Whether it is dark enough that lighting should be on (sun below the horizon).</summary>
    public bool IsDark(DateTimeOffset time) => SunElevation(time) < -0.833;

    /// <summary>Air temperature in °C: coldest near dawn, warmest mid-afternoon (local solar time).</summary>
    public double AirTemperature(DateTimeOffset time)
    {
        var hours = LocalSolarHours(time);
        var daily = Settings.DailyTemperatureSwingC / 2 * Math.Cos(2 * Math.PI * (hours - 15) / 24);
        return Settings.MeanTemperatureC + daily + (1.5 * noise.Smooth("air", time, TimeSpan.FromHours(3)));
    }

    /// <summary>Relative humidity in percent: highest near dawn.</summary>
    public double Humidity(DateTimeOffset time)
    {
        var hours = LocalSolarHours(time);
        var value = Settings.MeanHumidityPercent + (15 * Math.Cos(2 * Math.PI * (hours - 5) / 24)) + (8 * noise.Smooth("humidity", time, TimeSpan.FromHours(6)));
        return Math.Clamp(value, 20, 100);
    }

    /// <summary>The site's UTC offset at <paramref name="time"/>.</summary>
    public TimeSpan UtcOffset(DateTimeOffset time) => timeZone.GetUtcOffset(time);

    private double LocalSolarHours(DateTimeOffset time) => ((time.UtcDateTime.TimeOfDay.TotalHours + (longitude / 15)) % 24 + 24) % 24;
}
