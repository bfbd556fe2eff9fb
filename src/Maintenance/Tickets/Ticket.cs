using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.Tickets;

/// <summary>
/// A graded fault ticket (domain section 4): open, acknowledged, on site, resolved, closed, every step timed and signed.
/// It changes only through its methods, which refuse a step the current status does not allow with a
/// <see cref="TicketLifecycleException"/>; the steps that a crew must hear of (opened, escalated, reassigned) leave a
/// notification in <see cref="PendingNotifications"/> for the store to save with the ticket.
/// </summary>
public sealed partial class Ticket
{
    /// <summary>The actor of steps nobody in particular takes (escalations).</summary>
    public const string SystemActor = "system";

    private readonly TicketOptions options;
    private readonly List<TicketNotification> pendingNotifications = [];
    private TicketState state;

    private Ticket(TicketState state, TicketOptions options)
    {
        this.state = state;
        this.options = options;
        Number = TicketNumber.Parse(state.Number);
        Asset = AssetRef.TryParse(state.AssetKey)
            ?? throw new InvalidDataException($"Ticket {state.Number} has an invalid asset key '{state.AssetKey}'");
    }

    public TicketNumber Number { get; }

    public AssetRef Asset { get; }

    public FaultType Fault => state.Fault;

    public FaultGrade Grade => state.Grade;

    public TicketStatus Status => state.Status;

    /// <summary>One line for the crew: what is wrong, with the figures.</summary>
    public string Summary => state.Summary;

    /// <summary>The crew's alert channel, or null while nobody is assigned.</summary>
    public string? Crew => state.Crew;

    public CrewZone Zone => state.Zone;

    public TicketOrigin Origin => state.Origin;

    public DateTimeOffset OpenedAt => state.OpenedAt;

    public DateTimeOffset FirstOccurrence => state.FirstOccurrence;

    public DateTimeOffset LastOccurrence => state.LastOccurrence;

    /// <summary>How many times the condition was detected while this ticket was not closed.</summary>
    public int Occurrences => state.Occurrences;

    /// <summary>The figures of the latest detection (value name to value).</summary>
    public IReadOnlyDictionary<string, double> Evidence => state.Evidence;

    /// <summary>The asset's previous ticket for the fault closed within the repeat-repair window before this one opened.</summary>
    public TicketNumber? RepeatOf => state.RepeatOf is null ? null : TicketNumber.Parse(state.RepeatOf);

    /// <summary>A repeat repair, which the service rules forbid: flagged and reported.</summary>
    public bool RepeatRepair => state.RepeatOf is not null;

    /// <summary>Whether the rule still sees the condition; false once it cleared (and for a ticket an operator opened).</summary>
    public bool ConditionActive => state.ConditionActive;

    public DateTimeOffset? ConditionClearedAt => state.ConditionClearedAt;

    public string? ConditionClearedSummary => state.ConditionClearedSummary;

    public ServiceDeadlines Deadlines => state.Deadlines;

    public DateTimeOffset? AcknowledgedAt => state.AcknowledgedAt;

    public string? AcknowledgedBy => state.AcknowledgedBy;

    public DateTimeOffset? OnSiteAt => state.OnSiteAt;

    public string? OnSiteBy => state.OnSiteBy;

    public DateTimeOffset? ResolvedAt => state.ResolvedAt;

    public string? ResolvedBy => state.ResolvedBy;

    public Resolution? Resolution => state.Resolution;

    public DateTimeOffset? ClosedAt => state.ClosedAt;

    public string? ClosedBy => state.ClosedBy;

    /// <summary>The customer's verification, noted at closing.</summary>
    public string? ClosingNote => state.ClosingNote;

    public IReadOnlyList<Escalation> Escalations => state.Escalations;

    /// <summary>The other conditions of the same event on the asset, attached instead of dispatched again (<see cref="OneEvent"/>).</summary>
    public IReadOnlyList<RelatedCondition> Related => state.Related;

    /// <summary>Whether any condition of the ticket, its own or a related one, is still seen by its rule.</summary>
    public bool AnyConditionActive => ConditionActive || Related.Any(r => r.Active);

    /// <summary>The faults whose conditions the rules still see on the asset, the ticket's own first.</summary>
    public IEnumerable<FaultType> ActiveConditions =>
        (ConditionActive ? [Fault] : Enumerable.Empty<FaultType>()).Concat(Related.Where(r => r.Active).Select(r => r.Fault));

    /// <summary>Whether the ticket stands for <paramref name="fault"/> on its asset: its own fault or a related condition.</summary>
    public bool Covers(FaultType fault) => Fault == fault || Related.Any(r => r.Fault == fault);

    /// <summary>Every step, oldest first.</summary>
    public IReadOnlyList<TicketStep> History => state.History;

    /// <summary>The stored version this ticket was loaded at or saved as; a save from an older version is refused.</summary>
    public long Version => state.Version;

    /// <summary>Notifications raised since the ticket was loaded, saved with it by the store.</summary>
    public IReadOnlyList<TicketNotification> PendingNotifications => pendingNotifications;

    internal TicketState State => state;

    /// <summary>When the step a deadline measures happened: acknowledged, on site (or resolved without a visit), resolved.</summary>
    public DateTimeOffset? DoneAt(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Response => AcknowledgedAt,
        DeadlineKind.Arrival => OnSiteAt ?? ResolvedAt,
        DeadlineKind.Fix => ResolvedAt,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown deadline kind"),
    };

    /// <summary>Whether the deadline passed before the step it measures happened, as seen at <paramref name="now"/>.</summary>
    public bool IsBreached(DeadlineKind kind, DateTimeOffset now) => Deadlines.IsBreached(kind, DoneAt(kind), now);

    public bool IsEscalated(DeadlineKind kind) => Escalations.Any(e => e.Deadline == kind);

    /// <summary>The deadlines breached at <paramref name="now"/> and not escalated yet; none once the ticket is closed.</summary>
    public IReadOnlyList<DeadlineKind> UnescalatedBreaches(DateTimeOffset now) => Status == TicketStatus.Closed
        ? []
        : [.. Enum.GetValues<DeadlineKind>().Where(k => IsBreached(k, now) && !IsEscalated(k))];

    /// <summary>A crew takes the ticket: the response.</summary>
    /// <param name="actor">Who took it.</param>
    /// <param name="at">When.</param>
    /// <param name="client">What it was taken from (<see cref="TicketStep.Client"/>), the same on every step below.</param>
    public void Acknowledge(string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "acknowledge";
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(Step, TicketStatus.Open);
        at = NotBefore(Step, at, OpenedAt);
        Apply(state with { Status = TicketStatus.Acknowledged, AcknowledgedAt = at, AcknowledgedBy = actor });
        AddStep(TicketStepKind.Acknowledged, actor, at, null, client);
    }

    /// <summary>The crew reaches the asset: the arrival.</summary>
    public void ArriveOnSite(string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "arrive on site";
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(Step, TicketStatus.Acknowledged);
        at = NotBefore(Step, at, AcknowledgedAt);
        Apply(state with { Status = TicketStatus.OnSite, OnSiteAt = at, OnSiteBy = actor });
        AddStep(TicketStepKind.ArrivedOnSite, actor, at, null, client);
    }

    /// <summary>
    /// The fault is repaired. Allowed on site, and also straight after acknowledging, because some faults are fixed
    /// remotely (a clock set, an override released, a grade 4 configuration); resolving without a visit meets the
    /// arrival target if it is on time.
    /// </summary>
    public void Resolve(Resolution resolution, string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "resolve";
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(Step, TicketStatus.Acknowledged, TicketStatus.OnSite);
        at = NotBefore(Step, at, OnSiteAt ?? AcknowledgedAt);
        Apply(state with { Status = TicketStatus.Resolved, ResolvedAt = at, ResolvedBy = actor, Resolution = resolution, FollowUps = OweVerification(at) });
        var parts = resolution.PartsReplaced.Count == 0 ? "no parts" : string.Join(", ", resolution.PartsReplaced);
        var note = resolution.Note is null ? "" : $"; {resolution.Note}";
        AddStep(TicketStepKind.Resolved, actor, at, $"{resolution.Kind.ToString().ToLowerInvariant()}: {resolution.Cause}; {resolution.Action}; {parts}{note}", client);
    }

    /// <summary>The repair is verified with the customer; <paramref name="note"/> records the verification.</summary>
    public void Close(string actor, DateTimeOffset at, string? note, string? client = null)
    {
        const string Step = "close";
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(Step, TicketStatus.Resolved);
        at = NotBefore(Step, at, ResolvedAt);
        Apply(state with { Status = TicketStatus.Closed, ClosedAt = at, ClosedBy = actor, ClosingNote = note, FollowUps = OweAfterClosing(actor, at, note) });
        AddStep(TicketStepKind.Closed, actor, at, note, client);
    }

    /// <summary>
    /// Hands the ticket to <paramref name="crew"/>, in <paramref name="zone"/> if given; a new zone moves the arrival
    /// deadline (still counted from the opening). The new crew is notified. Reassigning to the same crew and zone does nothing.
    /// </summary>
    public void Reassign(string crew, CrewZone? zone, string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "reassign";
        if (!Identifiers.IsValid(crew))
        {
            throw new ArgumentException($"'{crew}' is not a crew channel: {Identifiers.Rule}", nameof(crew));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(Step, TicketStatus.Open, TicketStatus.Acknowledged, TicketStatus.OnSite);
        var newZone = zone ?? Zone;
        if (crew == Crew && newZone == Zone)
        {
            return;
        }

        at = at.ToUniversalTime();
        var deadlines = newZone == Zone
            ? Deadlines
            : Deadlines with { OnSiteBy = options.ServiceLevels.DeadlinesFor(Grade, newZone, OpenedAt).OnSiteBy };
        var detail = $"{Crew ?? "nobody"} ({Zone.ToJsonName()}) -> {crew} ({newZone.ToJsonName()})";
        Apply(state with { Crew = crew, Zone = newZone, Deadlines = deadlines });
        var step = AddStep(TicketStepKind.Reassigned, actor, at, detail, client);
        Raise(NotificationKind.Reassigned, $"{Number}/reassigned/{step}", [crew], at, null);
    }

    /// <summary>
    /// Reports a breached deadline to the supervisor and the crew. Only a breached deadline can be escalated, and each
    /// kind only once: escalating it again does nothing, so two escalation loops cannot notify twice.
    /// </summary>
    public void Escalate(DeadlineKind deadline, DateTimeOffset at)
    {
        var step = $"escalate the {deadline.ToName()} deadline";
        Require(step, TicketStatus.Open, TicketStatus.Acknowledged, TicketStatus.OnSite, TicketStatus.Resolved);
        if (IsEscalated(deadline))
        {
            return;
        }

        at = at.ToUniversalTime();
        if (!IsBreached(deadline, at))
        {
            throw new TicketLifecycleException(Number, Status, step, Deadlines.For(deadline) is { } due
                ? $"it is due {due:O} and not breached at {at:O}"
                : "the grade sets no such deadline");
        }

        var dueAt = Deadlines.For(deadline)!.Value;
        Apply(state with { Escalations = [.. Escalations, new Escalation(deadline, dueAt, at)] });
        AddStep(TicketStepKind.Escalated, SystemActor, at, $"{deadline.ToName()} was due {dueAt:O}");
        Raise(NotificationKind.Escalated, $"{Number}/escalated/{deadline.ToName()}", [options.SupervisorChannel, Crew], at, deadline);
    }

    /// <summary>
    /// What a detection does, given the asset's latest ticket for the same fault (null when it has none): the one place
    /// that decides between counting it on that ticket (<see cref="RecordOccurrence"/> then decides regrading and
    /// reopening), ignoring it as already counted, and opening a new ticket (see <see cref="RepeatedTicket"/>).
    /// </summary>
    public static DetectionEffect EffectOf(Ticket? latest, DateTimeOffset occurredAt) =>
        latest is { Status: not TicketStatus.Closed } ? DetectionEffect.CountOnLatest
        : latest is not null && occurredAt.ToUniversalTime() <= latest.LastOccurrence ? DetectionEffect.AlreadyCounted
        : DetectionEffect.OpenNew;

    /// <summary>
    /// The ticket a new one repeats: the asset's previous ticket for the fault when it was closed within the
    /// repeat-repair window before <paramref name="occurredAt"/>, which the service rules forbid; else null.
    /// </summary>
    public static TicketNumber? RepeatedTicket(Ticket? previous, DateTimeOffset occurredAt, TicketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return previous is { ClosedAt: { } closedAt } && occurredAt - closedAt < options.RepeatRepairWindow ? previous.Number : null;
    }

    /// <summary>
    /// Whether <paramref name="detected"/> is the same event as this ticket (<see cref="OneEvent"/>): another diagnosis of
    /// the same family on the same asset, while the ticket is being worked and within the same-event window of its
    /// beginning.
    /// </summary>
    public bool IsSameEvent(FaultDetected detected)
    {
        ArgumentNullException.ThrowIfNull(detected);
        if (Status is not (TicketStatus.Open or TicketStatus.Acknowledged or TicketStatus.OnSite)
            || detected.Asset.Key != Asset.Key
            || Covers(detected.Fault)
            || !OneEvent.RelatedTo(detected.Fault).Contains(Fault))
        {
            return false;
        }

        var began = Related.Select(r => r.FirstOccurrence).Append(FirstOccurrence).Min();
        return (detected.At.ToUniversalTime() - began).Duration() <= options.SameEventWindow;
    }

    /// <summary>
    /// Attaches another diagnosis of the same event (<see cref="IsSameEvent"/>) to the ticket. The stronger diagnosis
    /// names the ticket: a weaker one becomes a related condition; a stronger one takes the ticket over and the
    /// ticket's own becomes related, the grade rising with it. Either way no second ticket, no second crew.
    /// </summary>
    public void AttachSameEvent(FaultDetected detected)
    {
        ArgumentNullException.ThrowIfNull(detected);
        if (!IsSameEvent(detected))
        {
            throw new ArgumentException($"{detected.Fault.ToName()} on {detected.Asset.Key} at {detected.At:O} is not the same event as ticket {Number}", nameof(detected));
        }

        var at = detected.At.ToUniversalTime();
        if (OneEvent.Outranks(detected.Fault, detected.Grade, Fault, Grade))
        {
            var replaced = new RelatedCondition(
                Fault, Grade, Summary, FirstOccurrence, LastOccurrence, Occurrences, ConditionActive, ConditionClearedAt, Evidence);
            Apply(state with
            {
                Fault = detected.Fault,
                Summary = detected.Summary,
                FirstOccurrence = at,
                LastOccurrence = at,
                Occurrences = 1,
                Evidence = detected.Evidence.ToDictionary(),
                ConditionActive = true,
                ConditionClearedAt = null,
                ConditionClearedSummary = null,
                Related = [.. Related, replaced],
            });
            AddStep(TicketStepKind.Rediagnosed, TicketOrigin.RulesActor, at, $"{replaced.Fault.ToName()} -> {detected.Fault.ToName()}: {detected.Summary}");
        }
        else
        {
            Apply(state with
            {
                Related = [.. Related, new RelatedCondition(detected.Fault, detected.Grade, detected.Summary, at, at, 1, true, null, detected.Evidence.ToDictionary())],
            });
            AddStep(TicketStepKind.Related, TicketOrigin.RulesActor, at, $"{detected.Fault.ToName()}: {detected.Summary}");
        }

        if (detected.Grade < Grade)
        {
            Regrade(detected.Grade, $"{detected.Fault.ToName()} detected at grade {(int)detected.Grade}", at, TicketOrigin.RulesActor);
        }
    }

    /// <summary>
    /// Counts a new detection of the condition: the latest evidence replaces the old, the condition is active again,
    /// and a detection at or before the last occurrence is a redelivery and changes nothing. What a worse grade does
    /// is decided here, for every caller (the rule is in the README's Rules section):
    /// <list type="bullet">
    /// <item>on a ticket still being worked (open, acknowledged, on site) it raises the grade, deadlines recomputed from the opening;</item>
    /// <item>on a resolved ticket the repair did not hold: the ticket is reopened at the worse grade, back to open with
    /// deadlines counted from now, and the crew is notified; a detection no worse than the grade only counts, for the
    /// verification to see;</item>
    /// <item>a closed ticket takes no detection: the store opens a new ticket, a repeat repair within the window.</item>
    /// </list>
    /// </summary>
    public void RecordOccurrence(FaultDetected detected)
    {
        ArgumentNullException.ThrowIfNull(detected);
        RequireCovered(detected);
        Require("record an occurrence", TicketStatus.Open, TicketStatus.Acknowledged, TicketStatus.OnSite, TicketStatus.Resolved);
        var at = detected.At.ToUniversalTime();
        if (detected.Fault != Fault)
        {
            RecordRelatedOccurrence(detected, at);
            return;
        }

        if (at <= LastOccurrence)
        {
            return;
        }

        Apply(state with
        {
            Occurrences = Occurrences + 1,
            LastOccurrence = at,
            Evidence = detected.Evidence.ToDictionary(),
            ConditionActive = true,
            ConditionClearedAt = null,
            ConditionClearedSummary = null,
        });
        AddStep(TicketStepKind.Occurred, TicketOrigin.RulesActor, at, detected.Summary);
        RaiseGradeFor(detected, at);
    }

    /// <summary>
    /// Records that the rule no longer sees the condition. The ticket stays as it is: a cleared condition is not a
    /// repair. A clearing older than the last occurrence, or of a condition already cleared, changes nothing.
    /// </summary>
    public void RecordCleared(FaultCleared cleared)
    {
        ArgumentNullException.ThrowIfNull(cleared);
        RequireCovered(cleared);
        Require("record the condition cleared", TicketStatus.Open, TicketStatus.Acknowledged, TicketStatus.OnSite, TicketStatus.Resolved);
        var at = cleared.At.ToUniversalTime();
        if (cleared.Fault != Fault)
        {
            var index = IndexOfRelated(cleared.Fault);
            var related = Related[index];
            if (!related.Active || at < related.LastOccurrence)
            {
                return;
            }

            Apply(state with { Related = Replace(index, related with { Active = false, ClearedAt = at }) });
            AddStep(TicketStepKind.Related, TicketOrigin.RulesActor, at, $"{cleared.Fault.ToName()} cleared: {cleared.Summary}");
            return;
        }

        if (!ConditionActive || at < LastOccurrence)
        {
            return;
        }

        Apply(state with { ConditionActive = false, ConditionClearedAt = at, ConditionClearedSummary = cleared.Summary });
        AddStep(TicketStepKind.ConditionCleared, TicketOrigin.RulesActor, at, cleared.Summary);
    }

    /// <summary>A related condition seen again: counted on it, and the ticket's grade raised (or a resolved ticket reopened) if it is worse.</summary>
    private void RecordRelatedOccurrence(FaultDetected detected, DateTimeOffset at)
    {
        var index = IndexOfRelated(detected.Fault);
        var related = Related[index];
        if (at <= related.LastOccurrence)
        {
            return;
        }

        Apply(state with
        {
            Related = Replace(index, related with
            {
                Grade = detected.Grade,
                Summary = detected.Summary,
                LastOccurrence = at,
                Occurrences = related.Occurrences + 1,
                Active = true,
                ClearedAt = null,
                Evidence = detected.Evidence.ToDictionary(),
            }),
        });
        AddStep(TicketStepKind.Related, TicketOrigin.RulesActor, at, $"{detected.Fault.ToName()}: {detected.Summary}");
        RaiseGradeFor(detected, at);
    }

    /// <summary>What a worse grade does (see <see cref="RecordOccurrence"/>): raises the grade, or reopens a resolved ticket.</summary>
    private void RaiseGradeFor(FaultDetected detected, DateTimeOffset at)
    {
        if (detected.Grade >= Grade)
        {
            return;
        }

        if (Status == TicketStatus.Resolved)
        {
            Require("reopen", TicketStatus.Resolved);
            SendBack(detected.Grade, $"grade {(int)Grade} -> {(int)detected.Grade}: detected at grade {(int)detected.Grade} after the repair: {detected.Summary}", TicketOrigin.RulesActor, at, null);
        }
        else
        {
            Regrade(detected.Grade, $"detected at grade {(int)detected.Grade}", at, TicketOrigin.RulesActor);
        }
    }

    /// <summary>
    /// Changes the grade (a grade 2 found to be a grade 1) and recomputes every deadline from the original opening.
    /// Escalations already made stay. Regrading to the same grade does nothing.
    /// </summary>
    public void Regrade(FaultGrade newGrade, string reason, DateTimeOffset at, string actor = SystemActor, string? client = null)
    {
        if (!Enum.IsDefined(newGrade))
        {
            throw new ArgumentOutOfRangeException(nameof(newGrade), newGrade, "unknown fault grade");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require("regrade", TicketStatus.Open, TicketStatus.Acknowledged, TicketStatus.OnSite);
        if (newGrade == Grade)
        {
            return;
        }

        var detail = $"grade {(int)Grade} -> {(int)newGrade}: {reason}";
        Apply(state with { Grade = newGrade, Deadlines = options.ServiceLevels.DeadlinesFor(newGrade, Zone, OpenedAt) });
        AddStep(TicketStepKind.Regraded, actor, at.ToUniversalTime(), detail, client);
    }

    /// <summary>
    /// A person reopens a closed ticket: the repair did not hold, or the verification was wrong. Allowed only within the
    /// repeat-repair window after the closing (later, the fault is a new ticket, a repeat repair); the ticket goes back
    /// to open at its grade with deadlines counted from <paramref name="at"/>, and the crew is notified.
    /// </summary>
    public void Reopen(string reason, string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "reopen";
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Require(Step, TicketStatus.Closed);
        at = NotBefore(Step, at, ClosedAt);
        if (at - ClosedAt!.Value >= options.RepeatRepairWindow)
        {
            throw new TicketLifecycleException(Number, Status, Step,
                $"it closed at {ClosedAt:O}, not within the repeat-repair window of {options.RepeatRepairWindow.TotalDays:0.##} days");
        }

        SendBack(Grade, reason, actor, at, client);
    }

    /// <summary>A person adds a note, in any status (a closed ticket too): it changes nothing but the history.</summary>
    public void Comment(string text, string actor, DateTimeOffset at, string? client = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        AddStep(TicketStepKind.Commented, actor, at.ToUniversalTime(), text, client);
    }

    /// <summary>
    /// Sends a resolved or closed ticket back to the crew at <paramref name="grade"/>: the response, arrival, resolution
    /// and closing are undone (the history keeps them), the deadlines run again from <paramref name="at"/>, and the crew
    /// is notified. The callers check the status.
    /// </summary>
    private void SendBack(FaultGrade grade, string detail, string actor, DateTimeOffset at, string? client)
    {
        Apply(state with
        {
            Status = TicketStatus.Open,
            Grade = grade,
            Deadlines = options.ServiceLevels.DeadlinesFor(grade, Zone, at),
            AcknowledgedAt = null,
            AcknowledgedBy = null,
            OnSiteAt = null,
            OnSiteBy = null,
            ResolvedAt = null,
            ResolvedBy = null,
            Resolution = null,
            ClosedAt = null,
            ClosedBy = null,
            ClosingNote = null,
            Escalations = [],
            FollowUps = CancelOpenFollowUps(),
        });
        var step = AddStep(TicketStepKind.Reopened, actor, at, detail, client);
        Raise(NotificationKind.Reopened, $"{Number}/reopened/{step}", [Crew ?? options.SupervisorChannel], at, null);
    }

    internal static Ticket Open(TicketNumber number, FaultDetected detected, DateTimeOffset openedAt, TicketNumber? repeatOf, TicketOptions options)
    {
        ArgumentNullException.ThrowIfNull(detected);
        var at = detected.At.ToUniversalTime();
        return Create(
            number, detected.Asset, detected.Fault, detected.Grade, detected.Summary, detected.Crew, detected.Zone,
            TicketOrigin.Rule, detected.Evidence.ToDictionary(), at, conditionActive: true, openedAt, repeatOf, options);
    }

    internal static Ticket Open(TicketNumber number, ManualTicket request, DateTimeOffset openedAt, TicketNumber? repeatOf, TicketOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);

        // No rule is watching a condition the operator saw, so none is active until a rule detects it.
        return Create(
            number, request.Asset, request.Fault, request.Grade, request.Summary, request.Crew, request.Zone,
            TicketOrigin.Operator(request.Actor), new Dictionary<string, double>(), openedAt.ToUniversalTime(),
            conditionActive: false, openedAt, repeatOf, options, request.Client);
    }

    internal static Ticket Restore(TicketState state, TicketOptions options) => new(state, options);

    /// <summary>The store saved the ticket as <paramref name="version"/>, with its notifications.</summary>
    internal void Saved(long version)
    {
        state = state with { Version = version };
        pendingNotifications.Clear();
    }

    private static Ticket Create(
        TicketNumber number,
        AssetRef asset,
        FaultType fault,
        FaultGrade grade,
        string summary,
        string? crew,
        CrewZone zone,
        TicketOrigin origin,
        Dictionary<string, double> evidence,
        DateTimeOffset occurredAt,
        bool conditionActive,
        DateTimeOffset openedAt,
        TicketNumber? repeatOf,
        TicketOptions options,
        string? client = null)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        ArgumentNullException.ThrowIfNull(fault);

        if (!Enum.IsDefined(grade))
        {
            throw new ArgumentOutOfRangeException(nameof(grade), grade, "unknown fault grade");
        }

        if (crew is not null && !Identifiers.IsValid(crew))
        {
            throw new ArgumentException($"'{crew}' is not a crew channel: {Identifiers.Rule}", nameof(crew));
        }

        openedAt = openedAt.ToUniversalTime();
        var ticket = new Ticket(
            new TicketState
            {
                Number = number.ToString(),
                AssetKey = asset.Key,
                Fault = fault,
                Grade = grade,
                Status = TicketStatus.Open,
                Summary = summary,
                Crew = crew,
                Zone = zone,
                Origin = origin,
                OpenedAt = openedAt,
                FirstOccurrence = occurredAt,
                LastOccurrence = occurredAt,
                Occurrences = 1,
                Evidence = evidence,
                RepeatOf = repeatOf?.ToString(),
                ConditionActive = conditionActive,
                Deadlines = options.ServiceLevels.DeadlinesFor(grade, zone, openedAt),
            },
            options);
        ticket.AddStep(TicketStepKind.Opened, origin.Actor, openedAt, repeatOf is { } previous ? $"{summary} (repeat repair of {previous})" : summary, client);
        ticket.Raise(NotificationKind.Opened, $"{number}/opened", [crew ?? options.SupervisorChannel], openedAt, null);
        return ticket;
    }

    private void Apply(TicketState next) => state = next;

    /// <returns>The step's index in <see cref="History"/>.</returns>
    private int AddStep(TicketStepKind what, string actor, DateTimeOffset at, string? detail, string? client = null)
    {
        state = state with { History = [.. History, new TicketStep(what, actor, at, detail, client)] };
        return History.Count - 1;
    }

    private void Raise(NotificationKind kind, string id, IEnumerable<string?> channels, DateTimeOffset at, DeadlineKind? escalation)
    {
        var payload = TicketNotificationPayload.For(this, id, kind, escalation);
        pendingNotifications.Add(new TicketNotification(id, kind, Number, [.. channels.OfType<string>().Distinct(StringComparer.Ordinal)], payload, at));
    }

    private void Require(string step, params ReadOnlySpan<TicketStatus> allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new TicketLifecycleException(Number, Status, step);
        }
    }

    /// <summary>A step before the one it follows would make a negative response, arrival or fix time.</summary>
    private DateTimeOffset NotBefore(string step, DateTimeOffset at, DateTimeOffset? previous)
    {
        at = at.ToUniversalTime();
        if (previous is { } earliest && at < earliest)
        {
            throw new TicketLifecycleException(Number, Status, step, $"{at:O} is before the previous step at {earliest:O}");
        }

        return at;
    }

    private void RequireCovered(FaultTransition transition)
    {
        if (transition.Asset.Key != Asset.Key || !Covers(transition.Fault))
        {
            throw new ArgumentException(
                $"the transition is about {transition.Fault.ToName()} on {transition.Asset.Key}, not this ticket's {Fault.ToName()} on {Asset.Key}",
                nameof(transition));
        }
    }

    private int IndexOfRelated(FaultType fault)
    {
        for (var i = 0; i < Related.Count; i++)
        {
            if (Related[i].Fault == fault)
            {
                return i;
            }
        }

        throw new ArgumentException($"ticket {Number} has no related condition {fault.ToName()}", nameof(fault));
    }

    private RelatedCondition[] Replace(int index, RelatedCondition condition)
    {
        var related = Related.ToArray();
        related[index] = condition;
        return related;
    }
}

/// <summary>What a detection does to the asset's latest ticket for its fault (<see cref="Ticket.EffectOf"/>).</summary>
public enum DetectionEffect
{
    /// <summary>The latest ticket is not closed: the detection is counted on it, which may regrade or reopen it.</summary>
    CountOnLatest,

    /// <summary>The latest ticket is closed and already counted this detection (a redelivery): nothing changes.</summary>
    AlreadyCounted,

    /// <summary>No ticket, or the latest is closed: a new ticket opens, a repeat repair when the last closed within the window.</summary>
    OpenNew,
}
