using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Tickets;

/// <summary>One event, one dispatch: the diagnoses of one lighting loss on one asset become one ticket.</summary>
public sealed class OneEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);
    private static readonly TicketNumber Number = TicketNumber.Parse("YW2611-0007");
    private static readonly TicketOptions Options = new();

    [Fact]
    public void The_lighting_loss_diagnoses_are_one_family_and_other_faults_are_in_none()
    {
        Assert.Equal([FaultType.TotalDark, FaultType.MastOutage, FaultType.SingleLampsDark], OneEvent.RelatedTo(FaultType.CableTheft));
        Assert.Contains(FaultType.CableTheft, OneEvent.RelatedTo(FaultType.TotalDark));
        Assert.DoesNotContain(FaultType.TotalDark, OneEvent.RelatedTo(FaultType.TotalDark));
        Assert.Empty(OneEvent.RelatedTo(FaultType.GatewayOffline));
        Assert.Empty(OneEvent.RelatedTo(FaultType.LowInsulation));
    }

    [Fact]
    public void The_lower_grade_outranks_and_between_equal_grades_the_cause_outranks_its_symptom()
    {
        Assert.True(OneEvent.Outranks(FaultType.CableTheft, FaultGrade.Grade1, FaultType.TotalDark, FaultGrade.Grade1));
        Assert.False(OneEvent.Outranks(FaultType.TotalDark, FaultGrade.Grade1, FaultType.CableTheft, FaultGrade.Grade1));
        Assert.True(OneEvent.Outranks(FaultType.TotalDark, FaultGrade.Grade1, FaultType.CableTheft, FaultGrade.Grade2));
        Assert.False(OneEvent.Outranks(FaultType.SingleLampsDark, FaultGrade.Grade3, FaultType.MastOutage, FaultGrade.Grade2));
    }

    [Fact]
    public void Cable_theft_after_total_dark_takes_the_ticket_over_and_total_dark_becomes_related()
    {
        var ticket = Ticket.Open(Number, Detected(T0, fault: FaultType.TotalDark, lampsLit: 0), T0, null, Options);
        var theft = Detected(T0.AddMinutes(1), fault: FaultType.CableTheft, lampsLit: 0);

        Assert.True(ticket.IsSameEvent(theft));
        ticket.AttachSameEvent(theft);

        Assert.Equal((FaultType.CableTheft, FaultGrade.Grade1, TicketStatus.Open), (ticket.Fault, ticket.Grade, ticket.Status));
        Assert.Equal((T0.AddMinutes(1), 1, true), (ticket.FirstOccurrence, ticket.Occurrences, ticket.ConditionActive));
        var related = Assert.Single(ticket.Related);
        Assert.Equal((FaultType.TotalDark, FaultGrade.Grade1, T0, 1, true), (related.Fault, related.Grade, related.FirstOccurrence, related.Occurrences, related.Active));
        Assert.Equal(0, related.Evidence["lamps_lit"]);
        Assert.Equal(T0, ticket.OpenedAt);
        Assert.Equal(T0.AddMinutes(10), ticket.Deadlines.RespondBy);
        var step = ticket.History[^1];
        Assert.Equal((TicketStepKind.Rediagnosed, TicketOrigin.RulesActor), (step.What, step.Actor));
        Assert.Contains("total_dark -> cable_theft", step.Detail, StringComparison.Ordinal);
        Assert.True(ticket.Covers(FaultType.TotalDark) && ticket.Covers(FaultType.CableTheft));
        Assert.Equal([FaultType.CableTheft, FaultType.TotalDark], ticket.ActiveConditions);
    }

    [Fact]
    public void A_weaker_diagnosis_is_attached_as_related_and_the_ticket_keeps_its_fault()
    {
        var ticket = Ticket.Open(Number, Detected(T0, fault: FaultType.CableTheft, lampsLit: 0), T0, null, Options);

        ticket.AttachSameEvent(Detected(T0.AddMinutes(2), fault: FaultType.TotalDark, lampsLit: 0));

        Assert.Equal((FaultType.CableTheft, FaultGrade.Grade1, T0), (ticket.Fault, ticket.Grade, ticket.FirstOccurrence));
        Assert.Equal(FaultType.TotalDark, Assert.Single(ticket.Related).Fault);
        Assert.Equal(TicketStepKind.Related, ticket.History[^1].What);
        Assert.DoesNotContain(ticket.History, s => s.What == TicketStepKind.Regraded);
    }

    [Fact]
    public void A_worse_grade_attached_raises_the_tickets_grade_from_its_opening()
    {
        var ticket = Ticket.Open(Number, Detected(T0, fault: FaultType.MastOutage, lampsLit: 5), T0, null, Options);

        ticket.AttachSameEvent(Detected(T0.AddMinutes(3), fault: FaultType.TotalDark, lampsLit: 0));

        Assert.Equal((FaultType.TotalDark, FaultGrade.Grade1), (ticket.Fault, ticket.Grade));
        Assert.Equal(T0.AddMinutes(10), ticket.Deadlines.RespondBy);
        Assert.Single(ticket.History, s => s.What == TicketStepKind.Regraded);
    }

    [Fact]
    public void Another_asset_another_family_a_later_night_or_a_resolved_ticket_is_another_event()
    {
        var ticket = Ticket.Open(Number, Detected(T0, fault: FaultType.TotalDark, lampsLit: 0), T0, null, Options);

        Assert.False(ticket.IsSameEvent(Detected(T0.AddMinutes(1), asset: Mast(8), fault: FaultType.CableTheft)));
        Assert.False(ticket.IsSameEvent(Detected(T0.AddMinutes(1), fault: FaultType.LowInsulation)));
        Assert.False(ticket.IsSameEvent(Detected(T0.AddMinutes(1), fault: FaultType.TotalDark)));
        Assert.True(ticket.IsSameEvent(Detected(T0 + Options.SameEventWindow, fault: FaultType.CableTheft)));
        Assert.False(ticket.IsSameEvent(Detected(T0 + Options.SameEventWindow + TimeSpan.FromSeconds(1), fault: FaultType.CableTheft)));
        Assert.Throws<ArgumentException>(() => ticket.AttachSameEvent(Detected(T0.AddHours(2), fault: FaultType.CableTheft)));

        ticket.Acknowledge("li.wei", T0.AddMinutes(2));
        ticket.ArriveOnSite("li.wei", T0.AddMinutes(3));
        Assert.True(ticket.IsSameEvent(Detected(T0.AddMinutes(4), fault: FaultType.CableTheft)));
        ticket.Resolve(new Resolution("feeder cut", "feeder replaced", [], RepairKind.Hardware), "li.wei", T0.AddMinutes(5));
        Assert.False(ticket.IsSameEvent(Detected(T0.AddMinutes(6), fault: FaultType.CableTheft)));
    }

    [Fact]
    public void A_related_condition_counts_its_own_occurrences_and_clearing_and_keeps_the_ticket_active()
    {
        var ticket = Ticket.Open(Number, Detected(T0, fault: FaultType.CableTheft, lampsLit: 0), T0, null, Options);
        ticket.AttachSameEvent(Detected(T0.AddMinutes(1), fault: FaultType.TotalDark, lampsLit: 0));

        ticket.RecordOccurrence(Detected(T0.AddMinutes(5), fault: FaultType.TotalDark, lampsLit: 0));
        ticket.RecordOccurrence(Detected(T0.AddMinutes(5), fault: FaultType.TotalDark, lampsLit: 0));
        Assert.Equal((2, T0.AddMinutes(5)), (ticket.Related[0].Occurrences, ticket.Related[0].LastOccurrence));
        Assert.Equal(1, ticket.Occurrences);

        ticket.RecordCleared(Cleared(T0.AddMinutes(20), fault: FaultType.CableTheft));
        Assert.False(ticket.ConditionActive);
        Assert.True(ticket.AnyConditionActive);
        Assert.Equal([FaultType.TotalDark], ticket.ActiveConditions);

        ticket.RecordCleared(Cleared(T0.AddMinutes(21), fault: FaultType.TotalDark));
        Assert.Equal((false, T0.AddMinutes(21)), (ticket.Related[0].Active, ticket.Related[0].ClearedAt));
        Assert.False(ticket.AnyConditionActive);
        Assert.Empty(ticket.ActiveConditions);
        Assert.Throws<ArgumentException>(() => ticket.RecordCleared(Cleared(T0.AddMinutes(22), fault: FaultType.MastOutage)));
    }

    [Fact]
    public void A_worse_related_occurrence_after_the_repair_reopens_the_ticket()
    {
        var ticket = Ticket.Open(Number, Detected(T0, fault: FaultType.MastOutage, lampsLit: 5), T0, null, Options);
        ticket.AttachSameEvent(Detected(T0.AddMinutes(1), fault: FaultType.SingleLampsDark, grade: FaultGrade.Grade3, lampsLit: 9));
        ticket.Acknowledge("li.wei", T0.AddMinutes(5));
        ticket.Resolve(new Resolution("drivers", "replaced", [], RepairKind.Hardware), "li.wei", T0.AddMinutes(60));

        ticket.RecordOccurrence(Detected(T0.AddMinutes(70), fault: FaultType.SingleLampsDark, grade: FaultGrade.Grade1, lampsLit: 9));

        Assert.Equal((TicketStatus.Open, FaultGrade.Grade1), (ticket.Status, ticket.Grade));
        Assert.Single(ticket.History, s => s.What == TicketStepKind.Reopened);
    }
}
