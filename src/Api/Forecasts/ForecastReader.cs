using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Telemetry.Api.Access;
using Telemetry.Api.Web.Forecasts;
using Telemetry.Forecasting;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Forecasts;

/// <summary>
/// The stored forecasts with their sentences in the current UI culture and the predictive work order of each asset
/// (the open one, else the latest); shared by <c>GET /api/forecasts</c> and the forecasts page. Every reader sees every
/// forecast, but a crew member sees the work order only when it is one of its own crews' (<see cref="Policies.CrewScope"/>),
/// as the work orders themselves.
/// </summary>
public sealed class ForecastReader(IForecastStore forecasts, IWorkOrderStore orders, IStringLocalizer<ForecastText> text)
{
    /// <summary>
    /// The forecasts of a site (or all) and kind (or all) as <paramref name="user"/> may see them: date forecasts
    /// soonest first, lamp forecasts most lamps first.
    /// </summary>
    public async Task<IReadOnlyList<ForecastView>> ListAsync(ClaimsPrincipal user, string? site, ForecastKind? kind, CancellationToken cancellationToken)
    {
        var crews = Policies.CrewScope(user);
        var stored = await forecasts.ListAsync(site, kind, cancellationToken);
        var wording = Wording();
        var views = new List<ForecastView>(stored.Count);
        foreach (var byKind in stored.GroupBy(f => f.Forecast.Kind))
        {
            var predictive = byKind.Key == ForecastKind.LampFailures ? []
                : await orders.ListAsync(new WorkOrderQuery { Site = site, Task = PredictiveWorkOrders.TaskFor(byKind.Key), Limit = WorkOrderQuery.MaxLimit }, cancellationToken);
            var byAsset = predictive.Where(o => o.Asset.Device is not null)
                .GroupBy(o => (o.Site, Device: o.Asset.Device!))
                .ToDictionary(g => g.Key, g => g.OrderByDescending(o => o.Status.IsOpen()).ThenByDescending(o => o.CreatedAt).First());
            foreach (var item in byKind)
            {
                var order = byAsset.GetValueOrDefault((item.Site, item.Forecast.Asset));
                if (order is not null && crews is not null && (order.Crew is null || !crews.Contains(order.Crew)))
                {
                    order = null;
                }

                views.Add(View(item, item.Forecast.Sentence(wording), order));
            }
        }

        return [.. views
            .OrderBy(v => v.Kind, StringComparer.Ordinal)
            .ThenBy(v => v.ExpectedDate ?? DateTimeOffset.MaxValue)
            .ThenByDescending(v => v.ExpectedCount ?? 0)
            .ThenBy(v => v.Site, StringComparer.Ordinal)
            .ThenBy(v => v.Asset, StringComparer.Ordinal)];
    }

    /// <summary>The sentences' words in the current UI culture.</summary>
    public ForecastWording Wording() => new(
        CultureInfo.CurrentCulture,
        text["Sentence.battery_end_of_life"],
        text["Sentence.insulation_time_to_limit"],
        text["Sentence.lamp_failures"]);

    private static ForecastView View(StoredForecast stored, string sentence, WorkOrder? order)
    {
        var chart = stored.Chart;
        var observations = chart.Observations.Select(o => new ForecastPoint(o.Time.ToUniversalTime(), o.Value)).ToList();
        var trend = chart.Trend.Select(o => new ForecastPoint(o.Time.ToUniversalTime(), o.Value)).ToList();
        var kind = PredictiveWorkOrders.KindName(stored.Forecast.Kind);
        return stored.Forecast switch
        {
            DateForecast d => new ForecastView(stored.Site, d.Asset, kind, d.AsOf.ToUniversalTime(), d.Expected.ToUniversalTime(), d.Low.ToUniversalTime(), d.High.ToUniversalTime(),
                null, null, null, null, sentence, chart.Unit, chart.Limit, observations, trend, order?.Number.ToString(), order?.DueDate),
            CountForecast c => new ForecastView(stored.Site, c.Asset, kind, c.AsOf.ToUniversalTime(), null, null, null,
                Math.Round(c.Expected, 2), c.Low, c.High, (int)Math.Round(c.Period.TotalDays), sentence, chart.Unit, chart.Limit, observations, trend, null, null),
            _ => throw new InvalidOperationException($"unknown forecast {stored.Forecast.GetType().Name}"),
        };
    }
}
