namespace Telemetry.Maintenance.WorkOrders;

/// <summary>The work order store, shared by Rules (which schedules) and Api (which serves crews).</summary>
public interface IWorkOrderStore
{
    /// <summary>
    /// Stores the work orders not stored yet (one per asset, task and period, whoever adds it and however often) and
    /// records that <paramref name="site"/> is scheduled through <paramref name="through"/>, in one transaction.
    /// </summary>
    /// <returns>How many work orders were new.</returns>
    Task<int> AddScheduledAsync(string site, DateOnly through, IReadOnlyList<PlannedWorkOrder> planned, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Stores the work orders not stored yet, without moving the site's schedule (special patrols).</summary>
    Task<IReadOnlyList<WorkOrder>> AddAsync(IReadOnlyList<PlannedWorkOrder> planned, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The last site-local day the site's schedule was generated through, or null before its first run.</summary>
    Task<DateOnly?> ScheduledThroughAsync(string site, CancellationToken cancellationToken);

    Task<WorkOrder?> FindAsync(WorkOrderNumber number, CancellationToken cancellationToken);

    /// <summary>Work orders matching <paramref name="query"/>, by due day then number.</summary>
    Task<IReadOnlyList<WorkOrder>> ListAsync(WorkOrderQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Loads the work order, applies <paramref name="change"/> (a lifecycle method) and saves it if nobody saved it in
    /// between, else tries again on the newer version. Throws <see cref="WorkOrderNotFoundException"/>, and whatever the
    /// change throws.
    /// </summary>
    Task<WorkOrder> ChangeAsync(WorkOrderNumber number, Action<WorkOrder> change, CancellationToken cancellationToken);
}

/// <summary>Filters for <see cref="IWorkOrderStore.ListAsync"/>; unset filters match everything.</summary>
public sealed record WorkOrderQuery
{
    public const int MaxLimit = 5000;

    public string? Site { get; init; }

    public string? Crew { get; init; }

    public IReadOnlyCollection<WorkOrderStatus>? Statuses { get; init; }

    public MaintenanceTask? Task { get; init; }

    public string? AssetKey { get; init; }

    /// <summary>Due on or after this site-local day.</summary>
    public DateOnly? DueFrom { get; init; }

    /// <summary>Due on or before this site-local day.</summary>
    public DateOnly? DueTo { get; init; }

    /// <summary>Only open work orders whose due day ended before this time.</summary>
    public DateTimeOffset? OverdueAt { get; init; }

    public int Limit { get; init; } = 500;

    public int Offset { get; init; }
}
