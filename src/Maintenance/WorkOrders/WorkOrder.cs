using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// A planned maintenance work order (domain section 5): a task on one asset, due on a day, for the asset's crew.
/// It moves planned → in progress → done, or to done by the gateway's emergency test from either, or to skipped with a
/// reason from planned or in progress; its methods refuse any other move with a <see cref="WorkOrderLifecycleException"/>.
/// Overdue is derived from the due day, not stored.
/// </summary>
public sealed class WorkOrder
{
    /// <summary>Working days after the work is done within which its inspection report is due (domain section 5).</summary>
    public const int ReportWorkingDays = 3;

    private readonly WorkOrderState state;

    private WorkOrder(WorkOrderState state)
    {
        this.state = state;
        Number = WorkOrderNumber.Parse(state.Number);
        Asset = AssetRef.TryParse(state.AssetKey)
            ?? throw new InvalidDataException($"Work order {state.Number} has an invalid asset key '{state.AssetKey}'");
    }

    public WorkOrderNumber Number { get; }

    public AssetRef Asset { get; }

    public string Site => state.Site;

    public DeviceFamily Family => state.Family;

    public MaintenanceTask Task => state.Task;

    /// <summary>The schedule slot it was made for (<see cref="ScheduleSlot.Period"/>), or the holiday or weather it precedes.</summary>
    public string Period => state.Period;

    /// <summary>The asset's crew, or null when the site names none.</summary>
    public string? Crew => state.Crew;

    public CrewZone Zone => state.Zone;

    /// <summary>The site-local day by the end of which it is due.</summary>
    public DateOnly DueDate => state.DueDate;

    /// <summary>The end of <see cref="DueDate"/> in the site's time zone: from then on an open work order is overdue.</summary>
    public DateTimeOffset DueAt => state.DueAt;

    /// <summary>Why a special patrol was ordered (the holiday, the weather); null for the recurring tasks.</summary>
    public string? Reason => state.Reason;

    public DateTimeOffset CreatedAt => state.CreatedAt;

    /// <summary>Grade 3 for a predictive work order (domain section 7); null for planned maintenance.</summary>
    public FaultGrade? Grade => state.Grade;

    /// <summary>The forecast a predictive work order stands on, as it last stood; null for planned maintenance.</summary>
    public PredictiveBasis? Basis => state.Basis;

    /// <summary>The spare lamps to carry on this patrol, when a lamp forecast asked for any.</summary>
    public SpareLamps? Spares => state.Spares;

    /// <summary>How the forecast moved the work order: what it said before each move, oldest first.</summary>
    public IReadOnlyList<WorkOrderRevision> Revisions => state.Revisions;

    public WorkOrderStatus Status => state.Status;

    public DateTimeOffset? StartedAt => state.StartedAt;

    public string? StartedBy => state.StartedBy;

    public DateTimeOffset? DoneAt => state.DoneAt;

    public string? DoneBy => state.DoneBy;

    /// <summary>The emergency test the gateway ran that completed it; null when a crew completed it.</summary>
    public GatewayTest? GatewayTest => state.GatewayTest;

    /// <summary>The day the inspection report is due: <see cref="ReportWorkingDays"/> working days after the day the work was done.</summary>
    public DateOnly? ReportDueDate => state.ReportDueDate;

    public DateTimeOffset? SkippedAt => state.SkippedAt;

    public string? SkippedBy => state.SkippedBy;

    public string? SkipReason => state.SkipReason;

    public string? Note => state.Note;

    public IReadOnlyList<ChecklistItem> Checklist => state.Checklist;

    /// <summary>The readings the crew entered (value name with unit suffix to value).</summary>
    public IReadOnlyDictionary<string, double> Readings => state.Readings;

    public long Version => state.Version;

    internal WorkOrderState State => state;

    /// <summary>Whether it is still open after its due day, as seen at <paramref name="now"/>.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status.IsOpen() && now >= DueAt;

    /// <summary>Whether it was done by the end of its due day.</summary>
    public bool DoneOnTime => Status == WorkOrderStatus.Done && DoneAt < DueAt;

    /// <summary>The crew starts the work.</summary>
    public void Start(string actor, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(WorkOrderStatus.Planned, "start");
        state.Status = WorkOrderStatus.InProgress;
        state.StartedAt = at;
        state.StartedBy = actor;
    }

    /// <summary>
    /// The crew finishes the work with every checklist item answered and the task's required readings, each a finite
    /// number not below zero. The inspection report falls due <see cref="ReportWorkingDays"/> working days of
    /// <paramref name="site"/>'s calendar after the (site-local) day it was done.
    /// </summary>
    public void Complete(string actor, DateTimeOffset at, IReadOnlyDictionary<string, bool> checklist, IReadOnlyDictionary<string, double> readings, string? note, Site site)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(site);
        Require(WorkOrderStatus.InProgress, "complete");
        var problems = new List<string>();
        problems.AddRange(state.Checklist.Where(i => !checklist.ContainsKey(i.Code)).Select(i => $"checklist item '{i.Code}' is not answered"));
        problems.AddRange(checklist.Keys.Where(c => state.Checklist.All(i => i.Code != c)).Select(c => $"'{c}' is not on the checklist of {Task.ToName()}"));
        problems.AddRange(Task.RequiredReadings().Where(r => !readings.ContainsKey(r)).Select(r => $"reading '{r}' is required"));
        var allowed = Task.RequiredReadings().Concat(Task.OptionalReadings()).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in readings)
        {
            if (!allowed.Contains(name))
            {
                problems.Add($"reading '{name}' is not one of {Task.ToName()} ({string.Join(", ", allowed)})");
            }
            else if (!double.IsFinite(value) || value < 0)
            {
                problems.Add($"reading '{name}' must be a finite number not below zero, not {value}");
            }
        }

        if (problems.Count > 0)
        {
            throw new WorkOrderInputException(Number, problems);
        }

        for (var i = 0; i < state.Checklist.Count; i++)
        {
            state.Checklist[i] = state.Checklist[i] with { Passed = checklist[state.Checklist[i].Code] };
        }

        foreach (var (name, value) in readings)
        {
            state.Readings[name] = value;
        }

        state.Status = WorkOrderStatus.Done;
        state.DoneAt = at;
        state.DoneBy = actor;
        state.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        state.ReportDueDate = WorkingDaysAfter(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, site.TimeZone).DateTime), ReportWorkingDays, site);
    }

    /// <summary>
    /// The gateway did the work: it ran the emergency test of this task on the unit (<see cref="BatteryTestOrders"/>),
    /// which passed or failed. Done from planned or in progress, at the time the test finished and by the gateway, with the
    /// checklist items the test checked and the readings it measured; no inspection report falls due, the test's record
    /// is its report. The same test reported again changes nothing and returns false.
    /// </summary>
    public bool CompleteByGateway(GatewayTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (Status == WorkOrderStatus.Done && state.GatewayTest is { } done && done.IsSameTestAs(test))
        {
            return false;
        }

        if (!Status.IsOpen())
        {
            throw new WorkOrderLifecycleException(Number, Status, "complete by the gateway's test");
        }

        var problems = new List<string>();
        if (BatteryTestOrders.TaskOf(test.Test) != Task)
        {
            problems.Add($"a {test.Test} test does not do {Task.ToName()}");
        }

        if (!BatteryTestOrders.WasDone(test.Outcome))
        {
            problems.Add($"a test that ended {test.Outcome} was not done");
        }

        if (string.IsNullOrWhiteSpace(test.Gateway))
        {
            problems.Add("the gateway that ran the test is required");
        }

        if (problems.Count > 0)
        {
            throw new WorkOrderInputException(Number, problems);
        }

        var answers = BatteryTestOrders.Checklist(Task, test.Passed);
        for (var i = 0; i < state.Checklist.Count; i++)
        {
            if (answers.TryGetValue(state.Checklist[i].Code, out var passed))
            {
                state.Checklist[i] = state.Checklist[i] with { Passed = passed };
            }
        }

        foreach (var (name, value) in BatteryTestOrders.Readings(Task, test))
        {
            state.Readings[name] = value;
        }

        state.Status = WorkOrderStatus.Done;
        state.DoneAt = test.FinishedAt;
        state.DoneBy = test.Gateway;
        state.GatewayTest = test;
        state.Note = test.Describe();
        return true;
    }

    /// <summary>The work is not done, for a reason the crew or an operator gives.</summary>
    public void Skip(string actor, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!Status.IsOpen())
        {
            throw new WorkOrderLifecycleException(Number, Status, "skip");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new WorkOrderInputException(Number, ["a reason is required to skip a work order"]);
        }

        state.Status = WorkOrderStatus.Skipped;
        state.SkippedAt = at;
        state.SkippedBy = actor;
        state.SkipReason = reason.Trim();
    }

    /// <summary>
    /// A newer forecast moved a predictive work order: its reason, due day and basis are replaced and what they were is
    /// kept in <see cref="Revisions"/>. Only while it is open; returns false when nothing changed.
    /// </summary>
    public bool Revise(string reason, DateOnly dueDate, DateTimeOffset dueAt, PredictiveBasis basis, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentNullException.ThrowIfNull(basis);
        if (!Task.IsPredictive())
        {
            throw new WorkOrderLifecycleException(Number, Status, "revise (not a predictive work order)");
        }

        if (!Status.IsOpen())
        {
            throw new WorkOrderLifecycleException(Number, Status, "revise");
        }

        if (reason == state.Reason && dueDate == state.DueDate
            && state.Basis is { } old && old.Expected == basis.Expected && old.Low == basis.Low && old.High == basis.High)
        {
            // The same forecast made again: nothing for the crew to see, only its time.
            state.Basis = basis;
            return false;
        }

        state.Revisions.Add(new WorkOrderRevision(at, state.DueDate, state.Reason, state.Basis));
        state.Reason = reason;
        state.DueDate = dueDate;
        state.DueAt = dueAt;
        state.Basis = basis;
        return true;
    }

    /// <summary>A lamp forecast asks the crew to carry <paramref name="spares"/> on this open patrol.</summary>
    public void CarrySpares(SpareLamps spares)
    {
        ArgumentNullException.ThrowIfNull(spares);
        ArgumentOutOfRangeException.ThrowIfNegative(spares.Count);
        if (!Task.IsPatrol())
        {
            throw new WorkOrderLifecycleException(Number, Status, "carry spare lamps (not a patrol)");
        }

        if (!Status.IsOpen())
        {
            throw new WorkOrderLifecycleException(Number, Status, "carry spare lamps");
        }

        state.Spares = spares;
    }

    /// <summary>The day <paramref name="days"/> working days of <paramref name="site"/> after <paramref name="day"/>.</summary>
    public static DateOnly WorkingDaysAfter(DateOnly day, int days, Site site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var date = day;
        for (var counted = 0; counted < days;)
        {
            date = date.AddDays(1);
            if (site.IsWorkingDay(date))
            {
                counted++;
            }
        }

        return date;
    }

    /// <summary>A new work order for <paramref name="planned"/>, numbered by the store.</summary>
    internal static WorkOrder Create(PlannedWorkOrder planned, WorkOrderNumber number, DateTimeOffset createdAt) => new(new WorkOrderState
    {
        Number = number.ToString(),
        AssetKey = planned.Asset.Key,
        Site = planned.Asset.Site,
        Family = planned.Family,
        Task = planned.Task,
        Period = planned.Period,
        Crew = planned.Crew,
        Zone = planned.Zone,
        DueDate = planned.DueDate,
        DueAt = planned.DueAt,
        Reason = planned.Reason,
        Grade = planned.Grade,
        Basis = planned.Basis,
        CreatedAt = createdAt,
        Status = WorkOrderStatus.Planned,
        Checklist = [.. planned.Task.Checklist().Select(c => new ChecklistItem(c))],
    });

    internal static WorkOrder Restore(WorkOrderState state) => new(state);

    private void Require(WorkOrderStatus status, string step)
    {
        if (Status != status)
        {
            throw new WorkOrderLifecycleException(Number, Status, step);
        }
    }
}
