using System.Globalization;
using Telemetry.Devices.Sites;
using Telemetry.Forecasting;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>How close a forecast date must come before a predictive work order is opened, per kind (<c>Rules:ForecastLeadTime</c>).</summary>
public sealed record PredictiveLeadTimes
{
    public TimeSpan BatteryEndOfLife { get; init; } = TimeSpan.FromDays(90);

    public TimeSpan InsulationTimeToLimit { get; init; } = TimeSpan.FromDays(90);

    public TimeSpan For(ForecastKind kind) => kind switch
    {
        ForecastKind.BatteryEndOfLife => BatteryEndOfLife,
        ForecastKind.InsulationTimeToLimit => InsulationTimeToLimit,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "lamp forecasts open no work order"),
    };
}

/// <summary>What a run of <see cref="PredictiveWorkOrders"/> did.</summary>
public sealed record PredictiveOutcome(int Opened, int Revised, int UnknownAssets);

/// <summary>
/// Domain section 7's promise on the work orders: a date forecast whose interval reaches into the lead time opens one
/// grade-3 predictive work order per asset and kind, with the forecast sentence as its reason and due the day before
/// the interval's low end (never sooner than the grade-3 fix time from now). A later forecast revises the open one;
/// a forecast that moves out of the lead time leaves it to the crew. The store's one-per-asset-task-period rule, with
/// the period numbering the asset's predictive orders, keeps a second run, a restart or a second process from
/// doubling one. Lamp forecasts put the spare lamps to carry on the asset's next open patrol.
/// </summary>
public sealed class PredictiveWorkOrders(IWorkOrderStore store, IServiceLevelSource serviceLevels, TimeProvider time)
{
    /// <summary>The days of lamp failures a patrol's spares cover.</summary>
    public static readonly TimeSpan SparesPeriod = TimeSpan.FromDays(30);

    /// <summary>
    /// The reason written on a predictive work order, in the service's own words (the web shows the forecast in the
    /// reader's language from <see cref="WorkOrder.Basis"/>).
    /// </summary>
    public static readonly ForecastWording ReasonWording = new(
        CultureInfo.InvariantCulture,
        "{0} will fail its yearly test around {1}, 80 % interval {2} to {3}",
        "{0} insulation will fall below 0.5 MΩ around {1}, 80 % interval {2} to {3}",
        "{0}: {1} lamps expected to go dark in 30 days, 80 % interval {2} to {3}");

    /// <summary>The predictive task a date forecast opens.</summary>
    public static MaintenanceTask TaskFor(ForecastKind kind) => kind switch
    {
        ForecastKind.BatteryEndOfLife => MaintenanceTask.PredictiveBatteryReplacement,
        ForecastKind.InsulationTimeToLimit => MaintenanceTask.PredictiveInsulationRepair,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "lamp forecasts open no work order"),
    };

    /// <summary>The spelling of a kind in storage, JSON and queries: <c>battery_end_of_life</c>, ...</summary>
    public static string KindName(ForecastKind kind) => kind switch
    {
        ForecastKind.BatteryEndOfLife => "battery_end_of_life",
        ForecastKind.InsulationTimeToLimit => "insulation_time_to_limit",
        ForecastKind.LampFailures => "lamp_failures",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown forecast kind"),
    };

    public static bool TryParseKind(string? name, out ForecastKind kind)
    {
        foreach (var candidate in Enum.GetValues<ForecastKind>())
        {
            if (KindName(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>
    /// The day a predictive work order is due: the site-local day before the interval's low end, but no sooner than
    /// the grade-3 fix time from <paramref name="now"/> (a forecast already inside its interval still gives the crew that).
    /// </summary>
    public static DateOnly DueDate(Site site, DateForecast forecast, DateTimeOffset now, TimeSpan grade3Fix)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(forecast);
        var beforeLow = MaintenancePlan.LocalDay(site, forecast.Low).AddDays(-1);
        var earliest = MaintenancePlan.LocalDay(site, now + grade3Fix);
        return beforeLow > earliest ? beforeLow : earliest;
    }

    /// <summary>Whether the forecast reaches into the lead time: its low end (or its expected date) within it.</summary>
    public static bool WithinLeadTime(DateForecast forecast, DateTimeOffset now, TimeSpan leadTime)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return forecast.Low <= now + leadTime || forecast.Expected <= now + leadTime;
    }

    /// <summary>Opens or revises the predictive work orders the date forecasts of <paramref name="site"/> call for.</summary>
    public async Task<PredictiveOutcome> ApplyAsync(Site site, IReadOnlyList<DateForecast> forecasts, PredictiveLeadTimes leadTimes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(forecasts);
        ArgumentNullException.ThrowIfNull(leadTimes);
        var now = time.GetUtcNow();
        var fix = Grade3Fix();
        int opened = 0, revised = 0, unknown = 0;
        foreach (var forecast in forecasts.Where(f => f.Kind != ForecastKind.LampFailures))
        {
            if (site.FindDevice(forecast.Asset) is not { } device)
            {
                unknown++;
                continue;
            }

            var task = TaskFor(forecast.Kind);
            var asset = new AssetRef(site.Id, device.GatewayId, device.Id);
            var due = DueDate(site, forecast, now, fix);
            var reason = forecast.Sentence(ReasonWording);
            var basis = new PredictiveBasis(KindName(forecast.Kind), forecast.AsOf, forecast.Expected, forecast.Low, forecast.High);
            var orders = await store.ListAsync(new WorkOrderQuery { AssetKey = asset.Key, Task = task, Limit = WorkOrderQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
            if (orders.FirstOrDefault(o => o.Status.IsOpen()) is { } open)
            {
                var moved = false;
                await store.ChangeAsync(open.Number, o => moved = o.Revise(reason, due, MaintenancePlan.EndOfDay(site, due), basis, now), cancellationToken).ConfigureAwait(false);
                revised += moved ? 1 : 0;
            }
            else if (WithinLeadTime(forecast, now, leadTimes.For(forecast.Kind)))
            {
                // Numbered per asset and task: two runs that both see none open both ask for the same period, and the store keeps one.
                var period = string.Create(CultureInfo.InvariantCulture, $"forecast-{orders.Count + 1}");
                var planned = new PlannedWorkOrder(asset, device.Family, task, period, due, MaintenancePlan.EndOfDay(site, due), device.Crew, device.CrewZone,
                    reason, FaultGrade.Grade3, basis);
                opened += (await store.AddAsync([planned], now, cancellationToken).ConfigureAwait(false)).Count;
            }
        }

        return new PredictiveOutcome(opened, revised, unknown);
    }

    /// <summary>
    /// Puts on each asset's next open patrol the spare lamps to carry: the high ends of the 80 % intervals of its
    /// lamp groups (a mast, or a controller's circuits) over <see cref="SparesPeriod"/>. Returns how many patrols changed.
    /// </summary>
    public async Task<int> CarrySparesAsync(Site site, IReadOnlyList<CountForecast> forecasts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(forecasts);
        var changed = 0;
        foreach (var byDevice in forecasts.GroupBy(f => f.Asset.Split('/')[0], StringComparer.Ordinal))
        {
            if (site.FindDevice(byDevice.Key) is not { } device)
            {
                continue;
            }

            var spares = new SpareLamps(byDevice.Sum(f => f.High), byDevice.Max(f => f.AsOf), (int)Math.Round(byDevice.First().Period.TotalDays));
            var asset = new AssetRef(site.Id, device.GatewayId, device.Id);
            var open = await store.ListAsync(new WorkOrderQuery { AssetKey = asset.Key, Statuses = [WorkOrderStatus.Planned, WorkOrderStatus.InProgress], Limit = WorkOrderQuery.MaxLimit }, cancellationToken)
                .ConfigureAwait(false);
            if (open.Where(o => o.Task.IsPatrol()).OrderBy(o => o.DueDate).ThenBy(o => o.Number.ToString(), StringComparer.Ordinal).FirstOrDefault() is { } next
                && next.Spares?.Count != spares.Count)
            {
                await store.ChangeAsync(next.Number, o => o.CarrySpares(spares), cancellationToken).ConfigureAwait(false);
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// When each asset of <paramref name="site"/> was last serviced for <paramref name="kind"/>: its predictive work order
    /// done. History before then belongs to the old battery or insulation, and the next forecast starts from it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ServicedAsync(Site site, ForecastKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var done = await store.ListAsync(new WorkOrderQuery { Site = site.Id, Task = TaskFor(kind), Statuses = [WorkOrderStatus.Done], Limit = WorkOrderQuery.MaxLimit }, cancellationToken)
            .ConfigureAwait(false);
        return done.Where(o => o.Asset.Device is not null && o.DoneAt is not null)
            .GroupBy(o => o.Asset.Device!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(o => o.DoneAt!.Value), StringComparer.Ordinal);
    }

    /// <summary>The grade-3 fix time in force; when the terms set none ("with the next patrol"), the grade-3 arrival time.</summary>
    private TimeSpan Grade3Fix()
    {
        var policy = serviceLevels.Current.Policy;
        return policy.FixWithin(FaultGrade.Grade3) ?? policy.Grade3Arrival;
    }
}
