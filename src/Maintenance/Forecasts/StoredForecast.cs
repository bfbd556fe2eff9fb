using Telemetry.Forecasting;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Maintenance.Forecasts;

/// <summary>
/// What a forecast's chart draws beside the forecast: the observations it was made from (thinned to at most
/// <see cref="MaxPoints"/>), the trend through them to the forecast date, and the limit it crosses (null for lamps).
/// </summary>
public sealed record ForecastChart(string Unit, double? Limit, IReadOnlyList<Observation> Observations, IReadOnlyList<Observation> Trend)
{
    /// <summary>The most points a chart keeps of a series.</summary>
    public const int MaxPoints = 60;

    /// <summary>
    /// <paramref name="series"/> thinned to at most <paramref name="max"/> points: means over equal spans of time, so
    /// a daily reading over years keeps its shape.
    /// </summary>
    public static IReadOnlyList<Observation> Thin(IReadOnlyList<Observation> series, int max = MaxPoints)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        if (series.Count <= max)
        {
            return [.. series];
        }

        var start = series[0].Time;
        var span = (series[^1].Time - start).Ticks + 1;
        return [.. series.GroupBy(o => (int)((o.Time - start).Ticks * max / span))
            .Select(g => new Observation(new DateTimeOffset((long)g.Average(o => (double)o.Time.UtcTicks), TimeSpan.Zero), g.Average(o => o.Value)))];
    }
}

/// <summary>The latest forecast of one asset and kind at a site, with what its chart needs.</summary>
public sealed record StoredForecast(string Site, Forecast Forecast, ForecastChart Chart);

/// <summary>The latest forecasts, made by Rules' forecasting job and read by the Api.</summary>
public interface IForecastStore
{
    /// <summary>
    /// Replaces the forecasts of <paramref name="kind"/> at <paramref name="site"/> with <paramref name="forecasts"/> in
    /// one transaction: an asset with no forecast now (serviced, too few readings) has none afterwards.
    /// </summary>
    Task ReplaceAsync(string site, ForecastKind kind, IReadOnlyList<StoredForecast> forecasts, CancellationToken cancellationToken);

    /// <summary>The forecasts of a site (or every site) and kind (or every kind), by site, kind and asset.</summary>
    Task<IReadOnlyList<StoredForecast>> ListAsync(string? site, ForecastKind? kind, CancellationToken cancellationToken);
}
