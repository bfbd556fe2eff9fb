using MathNet.Numerics.Distributions;
using Telemetry.Forecasting.History;

namespace Telemetry.Forecasting.Lamps;

/// <summary>
/// Forecasts how many lamps of a circuit or mast go dark in the coming period. Each group's failure rate per lamp
/// burning hour is its failures over the past year over its burning hours, shrunk towards the plant's rate as far
/// as a year of one group's failures is noisy (a gamma prior fitted by moments across groups); the expected count
/// is that rate times the lamp burning hours ahead (nights lengthen and shorten with the season). The interval
/// comes from the predictive distribution, negative binomial. Not thread-safe.
/// </summary>
public sealed class LampFailureForecaster
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(365);
    private readonly double latitude;
    private readonly double priorShape;
    private readonly double priorExposure;
    // Every group shares the nights: their hours are summed once per span (an instance serves one thread).
    private readonly Dictionary<(DateTimeOffset, DateTimeOffset), double> hours = [];

    private LampFailureForecaster(double latitude, double priorShape, double priorExposure)
    {
        this.latitude = latitude;
        this.priorShape = priorShape;
        this.priorExposure = priorExposure;
    }

    /// <summary>The plant's failure rate per lamp burning hour over the year before the forecasts.</summary>
    public double PlantRate => priorShape / priorExposure;

    /// <summary>Learns the prior from every group's past year up to <paramref name="asOf"/>.</summary>
    public static LampFailureForecaster Learn(IReadOnlyList<LampGroupRecord> groups, DateTimeOffset asOf, double latitude)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var from = asOf - Window;
        var yearHours = BurningHours(from, asOf, latitude);
        var past = groups.Select(g => (Failures: (double)g.FailuresBetween(from, asOf), Exposure: g.Installed * yearHours)).ToList();
        var totalExposure = past.Sum(p => p.Exposure);
        var rate = Math.Max(past.Sum(p => p.Failures), 1) / totalExposure;
        // Between-group variance of the rate, less what Poisson counting alone would give.
        var spread = past.Average(p => Math.Pow((p.Failures / p.Exposure) - rate, 2) - (rate / p.Exposure));
        var between = Math.Max(spread, rate * rate * 0.01);
        var shape = rate * rate / between;
        return new LampFailureForecaster(latitude, shape, shape / rate);
    }

    /// <summary>The forecast of lamps going dark in <paramref name="period"/> after <paramref name="asOf"/>.</summary>
    public CountForecast Forecast(LampGroupRecord group, DateTimeOffset asOf, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(group);
        var from = asOf - Window;
        var shape = priorShape + group.FailuresBetween(from, asOf);
        var exposure = priorExposure + (group.Installed * Hours(from, asOf));
        var ahead = group.Installed * Hours(asOf, asOf + period);
        var expected = shape / exposure * ahead;
        // Gamma(shape, exposure) rate times Poisson counts: negative binomial with r = shape, p = exposure / (exposure + ahead).
        var predictive = new NegativeBinomial(shape, exposure / (exposure + ahead));
        var (low, high) = CountInterval.Nearest80(predictive.CumulativeDistribution);
        return new CountForecast(group.Asset, ForecastKind.LampFailures, asOf, period, expected, low, high);
    }

    private double Hours(DateTimeOffset from, DateTimeOffset to)
    {
        if (!hours.TryGetValue((from, to), out var value))
        {
            value = BurningHours(from, to, latitude);
            hours[(from, to)] = value;
        }

        return value;
    }

    /// <summary>Hours lamps burn from <paramref name="from"/> to <paramref name="to"/>: the nights' lengths summed.</summary>
    public static double BurningHours(DateTimeOffset from, DateTimeOffset to, double latitude)
    {
        double hours = 0;
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day < DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            hours += PlantPhysics.NightHours(day, latitude);
        }

        return hours;
    }
}
