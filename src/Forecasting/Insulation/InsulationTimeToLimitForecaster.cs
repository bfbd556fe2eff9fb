using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Insulation;

/// <summary>
/// Forecasts when a circuit's insulation resistance first falls below the limit. Insulation decays exponentially
/// with age, so the log of the readings is a line plus the site's season plus weather that wanders for days (more in
/// humid months); the line is fitted per box, the season and the weather's persistence and size over the whole plant. The date is
/// the median first crossing over simulated futures (the line's uncertainty and the weather drawn afresh in each),
/// the interval their 10th and 90th percentiles.
/// </summary>
public sealed class InsulationTimeToLimitForecaster
{
    /// <summary>The highest reading a megger gives, in MΩ: a reading there says only "at least", and is not fitted.</summary>
    public const double CeilingMohm = 655.35;

    private const int Futures = 200;
    private readonly double limitMohm;
    private readonly int seed;

    private InsulationTimeToLimitForecaster(double limitMohm, SeasonalProfile season, double persistence, double innovation, int seed)
    {
        this.limitMohm = limitMohm;
        Season = season;
        Persistence = persistence;
        Innovation = innovation;
        this.seed = seed;
    }

    public SeasonalProfile Season { get; }

    /// <summary>How much of a day's weather anomaly is left the next day (AR(1) coefficient).</summary>
    public double Persistence { get; }

    /// <summary>The standard deviation of the new part of each day's anomaly, in log MΩ.</summary>
    public double Innovation { get; }

    /// <summary>Learns the season and the weather from the plant's readings up to <paramref name="asOf"/>.</summary>
    public static InsulationTimeToLimitForecaster Learn(IReadOnlyList<InsulationRecord> plant, DateTimeOffset asOf, double limitMohm = 0.5, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(plant);
        var series = plant.Select(p => LogReadings(p, asOf)).Where(s => s.Count >= 60).ToList();
        if (series.Count == 0)
        {
            throw new ArgumentException("no box has two months of readings to learn the season from", nameof(plant));
        }

        var season = SeasonalProfile.Fit([.. series.SelectMany(s =>
        {
            var trend = LinearTrend.Fit(s);
            return s.Select(o => (o.Time, o.Value - trend.ValueAt(o.Time)));
        })]);

        // The weather that is left once trend and season are taken out, as an AR(1) process.
        double lagged = 0, products = 0, squares = 0;
        var count = 0;
        foreach (var s in series)
        {
            var deseasoned = s.Select(o => new Observation(o.Time, o.Value - season.At(o.Time))).ToList();
            var trend = LinearTrend.Fit(deseasoned);
            var residuals = deseasoned.Select(o => (o.Value - trend.ValueAt(o.Time)) / season.ScaleAt(o.Time)).ToArray();
            for (var i = 1; i < residuals.Length; i++)
            {
                lagged += residuals[i - 1] * residuals[i - 1];
                products += residuals[i - 1] * residuals[i];
                squares += residuals[i] * residuals[i];
                count++;
            }
        }

        var persistence = Math.Clamp(products / lagged, 0, 0.999);
        var variance = squares / count;
        return new InsulationTimeToLimitForecaster(limitMohm, season, persistence, Math.Sqrt(variance * (1 - (persistence * persistence))), seed);
    }

    /// <summary>The forecast for one box, or null when its readings are already below the limit at <paramref name="asOf"/> or too few to fit.</summary>
    public DateForecast? Forecast(InsulationRecord box, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(box);
        var readings = LogReadings(box, asOf);
        if (readings.Count < 30)
        {
            return null;
        }

        var deseasoned = readings.Select(o => new Observation(o.Time, o.Value - Season.At(o.Time))).ToList();
        var trend = LinearTrend.Fit(deseasoned);
        var limit = Math.Log(limitMohm);
        var lastAnomaly = (deseasoned[^1].Value - trend.ValueAt(deseasoned[^1].Time)) / Season.ScaleAt(deseasoned[^1].Time);
        if (trend.ValueAt(asOf) + Season.At(asOf) + (lastAnomaly * Season.ScaleAt(asOf)) < limit)
        {
            return null;
        }

        // A box whose line, pessimistically read, stays above the limit to the horizon needs no futures drawn.
        var end = asOf + Telemetry.Forecasting.Forecast.DateHorizon;
        var stationary = Innovation / Math.Sqrt(1 - (Persistence * Persistence));
        if (trend.ValueAt(end) - Season.Depth - (5 * stationary * 2) - (5 * trend.DeviationAt(end)) > limit)
        {
            return new DateForecast(box.Device, ForecastKind.InsulationTimeToLimit, asOf, end, end, end);
        }

        // Serial correlation makes the least-squares spread of the line too narrow by about (1 + φ) / (1 − φ).
        var inflation = Math.Sqrt((1 + Persistence) / (1 - Persistence));
        var seasonError = stationary * inflation / Math.Sqrt(readings.Count / 12.0);
        var random = new Random((seed * 397) ^ Stable(box.Device));
        var days = (int)Telemetry.Forecasting.Forecast.DateHorizon.TotalDays;
        var crossings = new double[Futures];
        for (var future = 0; future < Futures; future++)
        {
            var (z1, z2) = (Gaussian(random), Gaussian(random));
            // Level and slope drawn jointly (Cholesky of their covariance).
            var correlation = trend.Covariance / Math.Sqrt(trend.LevelVariance * trend.SlopeVariance);
            var slope = trend.Slope + (inflation * Math.Sqrt(trend.SlopeVariance) * ((correlation * z1) + (Math.Sqrt(Math.Max(0, 1 - (correlation * correlation))) * z2)));
            // The season is learned from a few years of weather: each month's offset is itself uncertain.
            var level = trend.Level + (inflation * Math.Sqrt(trend.LevelVariance) * z1) + (seasonError * Gaussian(random));
            var anomaly = lastAnomaly;
            crossings[future] = days;
            for (var day = 1; day <= days; day++)
            {
                var time = asOf.AddDays(day);
                anomaly = (Persistence * anomaly) + (Innovation * Gaussian(random));
                if (level + (slope * trend.Years(time)) + Season.At(time) + (anomaly * Season.ScaleAt(time)) < limit)
                {
                    crossings[future] = day;
                    break;
                }
            }
        }

        Array.Sort(crossings);
        DateTimeOffset At(double quantile) => asOf.AddDays(crossings[(int)Math.Round(quantile * (Futures - 1))]);
        return new DateForecast(box.Device, ForecastKind.InsulationTimeToLimit, asOf, At(0.5), At(0.1), At(0.9));
    }

    private static List<Observation> LogReadings(InsulationRecord box, DateTimeOffset asOf) =>
        [.. box.ReadingsMohm.Where(o => o.Time <= asOf && o.Value > 0 && o.Value < CeilingMohm).Select(o => new Observation(o.Time, Math.Log(o.Value)))];

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static int Stable(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
