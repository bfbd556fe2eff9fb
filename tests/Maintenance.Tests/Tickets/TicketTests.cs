using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Tickets;

public sealed class TicketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);
    private static readonly TicketNumber Number = TicketNumber.Parse("YW2611-0007");
    private static readonly Resolution Repair = new("lamp drivers burnt out", "replaced drivers", ["driver 150W", "driver 150W"], RepairKind.Hardware);

    public enum Step
    {
        Acknowledge,
        ArriveOnSite,
        Resolve,
        Close,
        Reassign,
        Regrade,
        RecordOccurrence,
        RecordCleared,
        Reopen,
        RecordSurvey,
        RecordReturnVisit,
    }

    [Fact]
    public void A_detection_counts_on_a_ticket_not_closed_and_opens_a_new_one_after_the_close()
    {
        var ticket = Opened();
        Assert.Equal(DetectionEffect.OpenNew, Ticket.EffectOf(null, T0));
        Assert.Equal(DetectionEffect.CountOnLatest, Ticket.EffectOf(ticket, T0.AddMinutes(1)));

        ticket.Acknowledge("li.wei", T0.AddMinutes(5));
        ticket.Resolve(Repair, "li.wei", T0.AddMinutes(130));
        Assert.Equal(DetectionEffect.CountOnLatest, Ticket.EffectOf(ticket, T0.AddMinutes(140)));

        ticket.Close("operator.zhang", T0.AddHours(20), "customer confirmed all 12 lamps lit");
        Assert.Equal(DetectionEffect.AlreadyCounted, Ticket.EffectOf(ticket, T0));
        Assert.Equal(DetectionEffect.OpenNew, Ticket.EffectOf(ticket, T0.AddHours(21)));
    }

    [Fact]
    public void A_new_ticket_repeats_the_last_one_only_when_it_closed_within_the_window()
    {
        var options = new TicketOptions();
        var ticket = Opened();
        Assert.Null(Ticket.RepeatedTicket(ticket, T0.AddHours(1), options));

        ticket.Acknowledge("li.wei", T0.AddMinutes(5));
        ticket.Resolve(Repair, "li.wei", T0.AddMinutes(130));
        ticket.Close("operator.zhang", T0.AddHours(20), null);

        Assert.Equal(Number, Ticket.RepeatedTicket(ticket, T0.AddHours(20) + options.RepeatRepairWindow - TimeSpan.FromMinutes(1), options));
        Assert.Null(Ticket.RepeatedTicket(ticket, T0.AddHours(20) + options.RepeatRepairWindow, options));
        Assert.Null(Ticket.RepeatedTicket(null, T0, options));
    }

    [Fact]
    public void Every_lifecycle_step_records_actor_and_time()
    {
        var ticket = Opened();

        ticket.Acknowledge("li.wei", T0.AddMinutes(5));
        ticket.ArriveOnSite("li.wei", T0.AddMinutes(70));
        ticket.Resolve(Repair, "li.wei", T0.AddMinutes(130));
        ticket.Close("operator.zhang", T0.AddHours(20), "customer confirmed all 12 lamps lit");

        Assert.Equal(TicketStatus.Closed, ticket.Status);
        Assert.Equal((T0.AddMinutes(5), "li.wei"), (ticket.AcknowledgedAt, ticket.AcknowledgedBy));
        Assert.Equal((T0.AddMinutes(70), "li.wei"), (ticket.OnSiteAt, ticket.OnSiteBy));
        Assert.Equal((T0.AddMinutes(130), "li.wei"), (ticket.ResolvedAt, ticket.ResolvedBy));
        Assert.Equal(Repair, ticket.Resolution);
        Assert.Equal((T0.AddHours(20), "operator.zhang"), (ticket.ClosedAt, ticket.ClosedBy));
        Assert.Equal("customer confirmed all 12 lamps lit", ticket.ClosingNote);
        Assert.Equal(
            [
                (TicketStepKind.Opened, TicketOrigin.RulesActor, T0),
                (TicketStepKind.Acknowledged, "li.wei", T0.AddMinutes(5)),
                (TicketStepKind.ArrivedOnSite, "li.wei", T0.AddMinutes(70)),
                (TicketStepKind.Resolved, "li.wei", T0.AddMinutes(130)),
                (TicketStepKind.Closed, "operator.zhang", T0.AddHours(20)),
            ],
            ticket.History.Select(s => (s.What, s.Actor, s.At)));
    }

    [Theory]
    [InlineData(TicketStatus.Open, Step.ArriveOnSite)]
    [InlineData(TicketStatus.Open, Step.Resolve)]
    [InlineData(TicketStatus.Open, Step.Close)]
    [InlineData(TicketStatus.Acknowledged, Step.Acknowledge)]
    [InlineData(TicketStatus.Acknowledged, Step.Close)]
    [InlineData(TicketStatus.OnSite, Step.Acknowledge)]
    [InlineData(TicketStatus.OnSite, Step.ArriveOnSite)]
    [InlineData(TicketStatus.OnSite, Step.Close)]
    [InlineData(TicketStatus.Resolved, Step.Acknowledge)]
    [InlineData(TicketStatus.Resolved, Step.ArriveOnSite)]
    [InlineData(TicketStatus.Resolved, Step.Resolve)]
    [InlineData(TicketStatus.Resolved, Step.Reassign)]
    [InlineData(TicketStatus.Resolved, Step.Regrade)]
    [InlineData(TicketStatus.Closed, Step.Acknowledge)]
    [InlineData(TicketStatus.Closed, Step.ArriveOnSite)]
    [InlineData(TicketStatus.Closed, Step.Resolve)]
    [InlineData(TicketStatus.Closed, Step.Close)]
    [InlineData(TicketStatus.Closed, Step.Reassign)]
    [InlineData(TicketStatus.Closed, Step.Regrade)]
    [InlineData(TicketStatus.Closed, Step.RecordOccurrence)]
    [InlineData(TicketStatus.Closed, Step.RecordCleared)]
    [InlineData(TicketStatus.Open, Step.Reopen)]
    [InlineData(TicketStatus.Acknowledged, Step.Reopen)]
    [InlineData(TicketStatus.OnSite, Step.Reopen)]
    [InlineData(TicketStatus.Resolved, Step.Reopen)]
    [InlineData(TicketStatus.Open, Step.RecordSurvey)]
    [InlineData(TicketStatus.Acknowledged, Step.RecordSurvey)]
    [InlineData(TicketStatus.OnSite, Step.RecordSurvey)]
    [InlineData(TicketStatus.Resolved, Step.RecordSurvey)]
    [InlineData(TicketStatus.Open, Step.RecordReturnVisit)]
    [InlineData(TicketStatus.Acknowledged, Step.RecordReturnVisit)]
    [InlineData(TicketStatus.OnSite, Step.RecordReturnVisit)]
    [InlineData(TicketStatus.Resolved, Step.RecordReturnVisit)]
    public void Illegal_move_throws_naming_ticket_status_and_step_and_changes_nothing(TicketStatus status, Step step)
    {
        var ticket = Opened();
        MoveTo(ticket, status);
        var history = ticket.History;

        var thrown = Assert.Throws<TicketLifecycleException>(() => Take(ticket, step));

        Assert.Equal(Number, thrown.Number);
        Assert.Equal(status, thrown.Status);
        Assert.Contains(thrown.Step, thrown.Message, StringComparison.Ordinal);
        Assert.Contains(Number.ToString(), thrown.Message, StringComparison.Ordinal);
        Assert.Equal(status, ticket.Status);
        Assert.Same(history, ticket.History);
    }

    [Fact]
    public void Escalating_a_closed_ticket_is_refused()
    {
        var ticket = Opened(FaultGrade.Grade1);
        MoveTo(ticket, TicketStatus.Closed);

        Assert.Throws<TicketLifecycleException>(() => ticket.Escalate(DeadlineKind.Fix, T0.AddDays(30)));
    }

    [Fact]
    public void Step_dated_before_the_one_it_follows_is_refused()
    {
        var ticket = Opened();
        ticket.Acknowledge("li.wei", T0.AddMinutes(30));

        Assert.Throws<TicketLifecycleException>(() => ticket.ArriveOnSite("li.wei", T0.AddMinutes(29)));
        Assert.Equal(TicketStatus.Acknowledged, ticket.Status);
    }

    [Fact]
    public void Fault_fixed_remotely_is_resolved_from_acknowledged_and_meets_arrival_on_time()
    {
        var ticket = Opened(FaultGrade.Grade3, FaultType.ClockDrift);
        ticket.Acknowledge("li.wei", T0.AddMinutes(5));

        ticket.Resolve(new Resolution("clock battery flat", "clock set from the API", [], RepairKind.Software), "li.wei", T0.AddMinutes(20));

        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Null(ticket.OnSiteAt);
        Assert.False(ticket.IsBreached(DeadlineKind.Arrival, T0.AddDays(10)));
    }

    [Fact]
    public void A_resolution_keeps_the_crews_note_as_given_and_shows_it_in_the_history()
    {
        var ticket = Opened();
        ticket.Acknowledge("li.wei", T0.AddMinutes(5));

        ticket.Resolve(Repair with { Note = "<i>fuse</i> was black" }, "li.wei", T0.AddMinutes(20), "crew phone");

        Assert.Equal("<i>fuse</i> was black", ticket.Resolution!.Note);
        Assert.EndsWith("; <i>fuse</i> was black", ticket.History[^1].Detail, StringComparison.Ordinal);
        Assert.Equal("crew phone", ticket.History[^1].Client);
    }

    [Fact]
    public void Opening_notifies_the_crew_with_a_stable_id()
    {
        var ticket = Opened();

        var notification = Assert.Single(ticket.PendingNotifications);
        Assert.Equal("YW2611-0007/opened", notification.Id);
        Assert.Equal(NotificationKind.Opened, notification.Kind);
        Assert.Equal(["crew-north"], notification.Channels);
    }

    [Fact]
    public void Opening_a_ticket_with_no_crew_notifies_the_supervisor()
    {
        var ticket = Ticket.Open(Number, Detected(T0, crew: null), T0, null, new TicketOptions { SupervisorChannel = "duty-desk" });

        Assert.Equal(["duty-desk"], Assert.Single(ticket.PendingNotifications).Channels);
    }

    [Fact]
    public void Recurrence_counts_an_occurrence_and_keeps_the_latest_evidence()
    {
        var ticket = Opened();
        ticket.RecordCleared(Cleared(T0.AddMinutes(20)));

        ticket.RecordOccurrence(Detected(T0.AddMinutes(40), lampsLit: 5));

        Assert.Equal(2, ticket.Occurrences);
        Assert.Equal(T0, ticket.FirstOccurrence);
        Assert.Equal(T0.AddMinutes(40), ticket.LastOccurrence);
        Assert.Equal(5, ticket.Evidence["lamps_lit"]);
        Assert.True(ticket.ConditionActive);
        Assert.Null(ticket.ConditionClearedAt);
    }

    [Fact]
    public void Redelivered_detection_changes_nothing()
    {
        var ticket = Opened();
        var history = ticket.History;

        ticket.RecordOccurrence(Detected(T0));

        Assert.Equal(1, ticket.Occurrences);
        Assert.Same(history, ticket.History);
    }

    [Fact]
    public void Condition_cleared_is_recorded_without_closing_the_ticket()
    {
        var ticket = Opened();

        ticket.RecordCleared(Cleared(T0.AddMinutes(20)));

        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.False(ticket.ConditionActive);
        Assert.Equal(T0.AddMinutes(20), ticket.ConditionClearedAt);
        Assert.Equal("mast_outage cleared: 12 of 12 lamps lit", ticket.ConditionClearedSummary);
        Assert.Equal(TicketStepKind.ConditionCleared, ticket.History[^1].What);
    }

    [Fact]
    public void Transition_about_another_asset_is_refused()
    {
        var ticket = Opened();

        Assert.Throws<ArgumentException>(() => ticket.RecordOccurrence(Detected(T0.AddMinutes(1), asset: Mast(8))));
        Assert.Throws<ArgumentException>(() => ticket.RecordCleared(Cleared(T0.AddMinutes(1), fault: FaultType.DoorOpen)));
    }

    [Fact]
    public void Detection_at_a_worse_grade_raises_the_ticket_and_its_deadlines_from_the_opening()
    {
        var ticket = Opened(FaultGrade.Grade2, FaultType.GatewayOffline);

        ticket.RecordOccurrence(Detected(T0.AddMinutes(30), fault: FaultType.GatewayOffline, grade: FaultGrade.Grade1));

        Assert.Equal(FaultGrade.Grade1, ticket.Grade);
        Assert.Equal(ServiceLevelPolicy.Default.DeadlinesFor(FaultGrade.Grade1, CrewZone.Inner, T0), ticket.Deadlines);
        Assert.Equal(TicketStepKind.Regraded, ticket.History[^1].What);
    }

    [Fact]
    public void Regrade_recomputes_every_deadline_from_the_original_opening()
    {
        var ticket = Opened(FaultGrade.Grade2);

        ticket.Regrade(FaultGrade.Grade1, "whole road dark on inspection", T0.AddHours(3), "operator.zhang");

        Assert.Equal(T0.AddMinutes(10), ticket.Deadlines.RespondBy);
        Assert.Equal(T0.AddHours(2), ticket.Deadlines.OnSiteBy);
        Assert.Equal(T0.AddHours(24), ticket.Deadlines.FixBy);
        var step = ticket.History[^1];
        Assert.Equal((TicketStepKind.Regraded, "operator.zhang", T0.AddHours(3)), (step.What, step.Actor, step.At));
        Assert.Contains("grade 2 -> 1", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Reassigning_to_another_zone_moves_only_the_arrival_deadline_and_notifies_the_new_crew()
    {
        var ticket = Opened(FaultGrade.Grade1);
        var before = ticket.Deadlines;

        ticket.Reassign("crew-town", CrewZone.Town, "operator.zhang", T0.AddMinutes(3));

        Assert.Equal(before with { OnSiteBy = T0.AddHours(6) }, ticket.Deadlines);
        Assert.Equal(("crew-town", CrewZone.Town), (ticket.Crew, ticket.Zone));
        var notification = ticket.PendingNotifications[^1];
        Assert.Equal("YW2611-0007/reassigned/1", notification.Id);
        Assert.Equal(["crew-town"], notification.Channels);
        Assert.Equal("operator.zhang", ticket.History[1].Actor);
    }

    [Fact]
    public void Reassigning_within_the_zone_keeps_the_deadlines()
    {
        var ticket = Opened(FaultGrade.Grade1);
        var before = ticket.Deadlines;

        ticket.Reassign("crew-south", null, "operator.zhang", T0.AddMinutes(3));

        Assert.Same(before, ticket.Deadlines);
        Assert.Equal("crew-south", ticket.Crew);
    }

    [Fact]
    public void Escalation_before_the_deadline_passes_is_refused()
    {
        var ticket = Opened(FaultGrade.Grade1);

        Assert.Throws<TicketLifecycleException>(() => ticket.Escalate(DeadlineKind.Response, T0.AddMinutes(10)));
        Assert.Empty(ticket.Escalations);
    }

    [Fact]
    public void Deadline_met_on_time_cannot_be_escalated()
    {
        var ticket = Opened(FaultGrade.Grade1);
        ticket.Acknowledge("li.wei", T0.AddMinutes(9));

        Assert.Throws<TicketLifecycleException>(() => ticket.Escalate(DeadlineKind.Response, T0.AddMinutes(30)));
    }

    [Fact]
    public void Breached_deadline_is_escalated_once_to_the_supervisor_and_the_crew()
    {
        var ticket = Opened(FaultGrade.Grade1);

        ticket.Escalate(DeadlineKind.Response, T0.AddMinutes(11));
        ticket.Escalate(DeadlineKind.Response, T0.AddMinutes(12));

        var escalation = Assert.Single(ticket.Escalations);
        Assert.Equal(new Escalation(DeadlineKind.Response, T0.AddMinutes(10), T0.AddMinutes(11)), escalation);
        var notification = ticket.PendingNotifications[^1];
        Assert.Equal("YW2611-0007/escalated/response", notification.Id);
        Assert.Equal(["supervisor", "crew-north"], notification.Channels);
        Assert.Empty(ticket.UnescalatedBreaches(T0.AddMinutes(12)));
    }

    [Fact]
    public void Late_step_stays_a_breach_until_it_is_escalated()
    {
        var ticket = Opened(FaultGrade.Grade1);
        ticket.Acknowledge("li.wei", T0.AddMinutes(25));

        Assert.Equal([DeadlineKind.Response], ticket.UnescalatedBreaches(T0.AddMinutes(30)));
    }

    [Fact]
    public void Every_step_a_person_takes_records_the_client_it_came_from()
    {
        var ticket = Opened();

        ticket.Acknowledge("li.wei", T0.AddMinutes(5), "crew phone");
        ticket.Reassign("crew-south", null, "operator.zhang", T0.AddMinutes(6), "web");
        ticket.Regrade(FaultGrade.Grade1, "whole road dark", T0.AddMinutes(7), "operator.zhang", "web");
        ticket.ArriveOnSite("li.wei", T0.AddMinutes(60), "crew phone");
        ticket.Resolve(Repair, "li.wei", T0.AddMinutes(120), "crew phone");
        ticket.Comment("driver batch 2024-07", "engineer.wang", T0.AddMinutes(121), "web");
        ticket.Close("operator.zhang", T0.AddHours(20), "verified", "city hotline");

        Assert.Equal(
            [null, "crew phone", "web", "web", "crew phone", "crew phone", "web", "city hotline"],
            ticket.History.Select(s => s.Client));
    }

    [Fact]
    public void Reopening_a_closed_ticket_within_the_window_sends_it_back_to_the_crew_with_deadlines_from_now()
    {
        var ticket = Opened();
        MoveTo(ticket, TicketStatus.Closed);
        var at = T0.AddDays(3);

        ticket.Reopen("customer reports lamps dark again", "operator.zhang", at, "web");

        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(FaultGrade.Grade2, ticket.Grade);
        Assert.Equal(new TicketOptions().ServiceLevels.DeadlinesFor(FaultGrade.Grade2, ticket.Zone, at), ticket.Deadlines);
        Assert.Equal((null, null, null, null), (ticket.AcknowledgedAt, ticket.ResolvedAt, ticket.Resolution, ticket.ClosedAt));
        Assert.Equal((TicketStepKind.Reopened, "operator.zhang", at, "customer reports lamps dark again", "web"),
            (ticket.History[^1].What, ticket.History[^1].Actor, ticket.History[^1].At, ticket.History[^1].Detail, ticket.History[^1].Client));
        Assert.Contains(ticket.PendingNotifications, n => n.Kind == NotificationKind.Reopened && n.Channels.Contains("crew-north"));

        // Worked again from open, like any ticket.
        ticket.Acknowledge("li.wei", at.AddMinutes(3));
        Assert.Equal(TicketStatus.Acknowledged, ticket.Status);
    }

    [Fact]
    public void Reopening_after_the_repeat_repair_window_is_refused()
    {
        var ticket = Opened();
        MoveTo(ticket, TicketStatus.Closed);
        var window = new TicketOptions().RepeatRepairWindow;

        var thrown = Assert.Throws<TicketLifecycleException>(() => ticket.Reopen("dark again", "operator.zhang", ticket.ClosedAt!.Value + window));

        Assert.Equal((TicketStatus.Closed, "reopen"), (thrown.Status, thrown.Step));
        Assert.Contains("repeat-repair window", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(TicketStatus.Closed, ticket.Status);
    }

    [Theory]
    [InlineData(TicketStatus.Open)]
    [InlineData(TicketStatus.OnSite)]
    [InlineData(TicketStatus.Closed)]
    public void A_comment_is_kept_as_written_in_any_status_and_changes_nothing_else(TicketStatus status)
    {
        var ticket = Opened();
        MoveTo(ticket, status);
        const string Text = "<script>alert('x')</script> & \"quotes\"\n灯不亮";

        ticket.Comment(Text, "engineer.wang", T0.AddDays(2), "web");

        Assert.Equal(status, ticket.Status);
        Assert.Equal((TicketStepKind.Commented, "engineer.wang", Text), (ticket.History[^1].What, ticket.History[^1].Actor, ticket.History[^1].Detail));
        Assert.Throws<ArgumentException>(() => ticket.Comment(" ", "engineer.wang", T0.AddDays(2)));
    }

    private static Ticket Opened(FaultGrade grade = FaultGrade.Grade2, FaultType? fault = null) =>
        Ticket.Open(Number, Detected(T0, fault: fault, grade: grade), T0, null, new TicketOptions());

    private static void MoveTo(Ticket ticket, TicketStatus status)
    {
        var steps = new (TicketStatus Reached, Action Take)[]
        {
            (TicketStatus.Acknowledged, () => ticket.Acknowledge("li.wei", T0.AddMinutes(5))),
            (TicketStatus.OnSite, () => ticket.ArriveOnSite("li.wei", T0.AddMinutes(60))),
            (TicketStatus.Resolved, () => ticket.Resolve(Repair, "li.wei", T0.AddMinutes(120))),
            (TicketStatus.Closed, () => ticket.Close("operator.zhang", T0.AddHours(20), null)),
        };
        foreach (var step in steps.TakeWhile(s => s.Reached <= status))
        {
            step.Take();
        }

        Assert.Equal(status, ticket.Status);
    }

    private static void Take(Ticket ticket, Step step)
    {
        var at = T0.AddDays(2);
        switch (step)
        {
            case Step.Acknowledge: ticket.Acknowledge("li.wei", at); break;
            case Step.ArriveOnSite: ticket.ArriveOnSite("li.wei", at); break;
            case Step.Resolve: ticket.Resolve(Repair, "li.wei", at); break;
            case Step.Close: ticket.Close("operator.zhang", at, null); break;
            case Step.Reassign: ticket.Reassign("crew-south", CrewZone.Second, "operator.zhang", at); break;
            case Step.Regrade: ticket.Regrade(FaultGrade.Grade1, "worse", at); break;
            case Step.RecordOccurrence: ticket.RecordOccurrence(Detected(at)); break;
            case Step.RecordCleared: ticket.RecordCleared(Cleared(at)); break;
            case Step.Reopen: ticket.Reopen("lamps dark again", "operator.zhang", at); break;
            case Step.RecordSurvey: ticket.RecordSurvey(5, null, "operator.zhang", at); break;
            case Step.RecordReturnVisit: ticket.RecordReturnVisit("repair holds", "li.wei", at); break;
            default: throw new ArgumentOutOfRangeException(nameof(step), step, null);
        }
    }
}
