using Telemetry.Devices.Sites;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// Generates the work orders due within the horizon ahead on each run. A site's schedule continues from the day after
/// the last day it was generated through, so a run after downtime catches up every day missed (their work orders come
/// out overdue), and the store's one-per-asset-task-period rule means no run, restart or second process doubles one.
/// </summary>
public sealed class WorkOrderScheduler(IWorkOrderStore store, IMaintenanceIntervalStore intervals, TimeProvider time, TimeSpan horizon)
{
    /// <summary>The days ahead each run schedules, the default of <c>WorkOrders:Horizon</c>.</summary>
    public static readonly TimeSpan DefaultHorizon = TimeSpan.FromDays(14);

    /// <summary>Schedules every site through today plus the horizon; returns how many work orders were new.</summary>
    public async Task<int> RunAsync(IEnumerable<Site> sites, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var now = time.GetUtcNow();
        var inForce = await intervals.LoadAsync(cancellationToken).ConfigureAwait(false);
        var created = 0;
        foreach (var site in sites)
        {
            var today = MaintenancePlan.LocalDay(site, now);
            var through = today.AddDays((int)Math.Ceiling(horizon.TotalDays));
            var from = await store.ScheduledThroughAsync(site.Id, cancellationToken).ConfigureAwait(false) is { } done ? done.AddDays(1) : today;
            if (from > through)
            {
                continue;
            }

            created += await store.AddScheduledAsync(site.Id, through, MaintenancePlan.Between(site, inForce, from, through), now, cancellationToken).ConfigureAwait(false);
        }

        return created;
    }
}
