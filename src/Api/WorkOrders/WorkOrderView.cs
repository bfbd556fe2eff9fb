using Telemetry.Contracts;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.WorkOrders;

/// <summary>A work order as the API shows it: names in snake case, times in UTC, due days site-local, overdue as of now.</summary>
public sealed record WorkOrderView(
    string Number,
    string Task,
    string Status,
    bool Overdue,
    string Asset,
    string Site,
    string? Device,
    string Family,
    string Period,
    string? Crew,
    DateOnly DueDate,
    DateTimeOffset DueAt,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    string? StartedBy,
    DateTimeOffset? DoneAt,
    string? DoneBy,
    bool DoneOnTime,
    DateOnly? ReportDueDate,
    DateTimeOffset? SkippedAt,
    string? SkippedBy,
    string? SkipReason,
    string? Note,
    IReadOnlyList<ChecklistItemView> Checklist,
    IReadOnlyDictionary<string, double> Readings,
    IReadOnlyList<string> RequiredReadings,
    IReadOnlyList<string> OptionalReadings,
    long Version,
    int? Grade = null,
    PredictiveBasisView? Forecast = null,
    SpareLampsView? Spares = null,
    int Revisions = 0,
    GatewayTestView? GatewayTest = null)
{
    public static WorkOrderView From(WorkOrder order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(
            order.Number.ToString(), order.Task.ToName(), order.Status.ToName(), order.IsOverdue(now), order.Asset.Key, order.Site, order.Asset.Device,
            order.Family.ToContractName(), order.Period, order.Crew, order.DueDate, order.DueAt.ToUniversalTime(), order.Reason,
            order.CreatedAt.ToUniversalTime(), order.StartedAt?.ToUniversalTime(), order.StartedBy, order.DoneAt?.ToUniversalTime(), order.DoneBy,
            order.DoneOnTime, order.ReportDueDate, order.SkippedAt?.ToUniversalTime(), order.SkippedBy, order.SkipReason, order.Note,
            [.. order.Checklist.Select(i => new ChecklistItemView(i.Code, i.Passed, i.Note))], order.Readings,
            order.Task.RequiredReadings(), order.Task.OptionalReadings(), order.Version,
            order.Grade is { } grade ? (int)grade : null,
            order.Basis is { } basis ? new PredictiveBasisView(basis.Kind, basis.AsOf.ToUniversalTime(), basis.Expected.ToUniversalTime(), basis.Low.ToUniversalTime(), basis.High.ToUniversalTime()) : null,
            order.Spares is { } spares ? new SpareLampsView(spares.Count, spares.Days, spares.AsOf.ToUniversalTime()) : null,
            order.Revisions.Count,
            GatewayTestView.From(order.GatewayTest));
    }
}

/// <summary>
/// The emergency test the gateway ran that completed a work order (null when a crew completed it): the gateway, the test
/// (function, one_hour, duration), its outcome (passed, failed), what started it (schedule, command), when it finished,
/// the minutes on battery and the minutes it had to reach, the battery voltage at the end, and why it ended.
/// </summary>
public sealed record GatewayTestView(
    string Gateway, string Test, string Outcome, string Trigger, DateTimeOffset FinishedAt, double? RuntimeMinutes, double? RatedMinutes, double? EndVolts, string? Message)
{
    public static GatewayTestView? From(GatewayTest? test) => test is null ? null : new(
        test.Gateway, test.Test, test.Outcome, test.Trigger, test.FinishedAt.ToUniversalTime(),
        test.RuntimeSeconds / 60, test.RatedSeconds / 60, test.EndVolts, test.Message);
}

/// <summary>The forecast a predictive work order stands on: its kind, when it was made, the expected date and the 80 % interval.</summary>
public sealed record PredictiveBasisView(string Kind, DateTimeOffset AsOf, DateTimeOffset Expected, DateTimeOffset Low, DateTimeOffset High);

/// <summary>The spare lamps to carry on a patrol: the high end of the 80 % interval of lamps going dark in the coming days.</summary>
public sealed record SpareLampsView(int Count, int Days, DateTimeOffset AsOf);

/// <summary>One checklist item: its code, and whether it was found in order (null while unanswered).</summary>
public sealed record ChecklistItemView(string Code, bool? Passed, string? Note);

/// <summary>A page of work orders.</summary>
public sealed record WorkOrderPage(IReadOnlyList<WorkOrderView> Items, int Limit, int Offset);

/// <summary>A completed work order and the fault tickets its readings opened or counted on.</summary>
public sealed record CompletedWorkOrderView(WorkOrderView WorkOrder, IReadOnlyList<string> Tickets);

/// <summary>The body of <c>complete</c>: every checklist item answered (code to in order or not), the readings, a note.</summary>
public sealed record CompleteBody(Dictionary<string, bool>? Checklist, Dictionary<string, double>? Readings, string? Note);

/// <summary>The body of <c>skip</c>.</summary>
public sealed record SkipBody(string? Reason);

/// <summary>The body of <c>PUT /api/work-orders/intervals/{task}</c>: how many times per week, month or year, and why.</summary>
public sealed record IntervalBody(int? Times, string? Per, string? Reason);

/// <summary>An interval in force or changed.</summary>
public sealed record IntervalView(string Task, int Times, string Per, long? Version, string? ChangedBy, DateTimeOffset? ChangedAt, string? Reason);

/// <summary>The body of <c>POST /api/work-orders/extreme-weather</c>: the site, the day the weather is expected, what it is.</summary>
public sealed record ExtremeWeatherBody(string? Site, DateOnly? Expected, string? Description);
