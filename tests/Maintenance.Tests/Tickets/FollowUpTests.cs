using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Tickets;

public sealed class FollowUpTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);
    private static readonly TicketNumber Number = TicketNumber.Parse("YW2611-0007");
    private static readonly Resolution Repair = new("lamp drivers burnt out", "replaced drivers", ["driver 150W"], RepairKind.Hardware);

    [Fact]
    public void A_resolution_owes_the_verification_within_48_hours_and_the_closing_does_it()
    {
        var ticket = Resolved(FaultGrade.Grade3, resolvedAt: T0.AddHours(2));

        var verification = Assert.Single(ticket.OpenFollowUps);
        Assert.Equal((FollowUpKind.Verification, T0.AddHours(50)), (verification.Kind, verification.Due));
        Assert.False(verification.IsOverdue(T0.AddHours(50)));
        Assert.True(verification.IsOverdue(T0.AddHours(50).AddSeconds(1)));

        ticket.Close("operator.zhang", T0.AddHours(20), "customer confirmed all 12 lamps lit");

        var done = ticket.FollowUps.Single(f => f.Kind == FollowUpKind.Verification);
        Assert.Equal((T0.AddHours(20), "operator.zhang", "customer confirmed all 12 lamps lit", false), (done.DoneAt, done.DoneBy, done.Outcome, done.DoneLate));
    }

    [Theory]
    [InlineData(FaultGrade.Grade1, true)]
    [InlineData(FaultGrade.Grade2, true)]
    [InlineData(FaultGrade.Grade3, false)]
    [InlineData(FaultGrade.Grade4, false)]
    public void The_closing_owes_the_survey_within_16_hours_and_a_return_visit_after_a_grade_1_or_2_repair(FaultGrade grade, bool returnVisit)
    {
        var ticket = Resolved(grade, resolvedAt: T0.AddHours(2));
        var closedAt = T0.AddHours(20);
        ticket.Close("operator.zhang", closedAt, null);

        var open = ticket.OpenFollowUps.ToList();
        Assert.Equal(returnVisit ? [FollowUpKind.Survey, FollowUpKind.ReturnVisit] : [FollowUpKind.Survey], open.Select(f => f.Kind));
        Assert.Equal(closedAt.AddHours(16), open[0].Due);
        if (returnVisit)
        {
            Assert.Equal(closedAt.AddDays(7), open[1].Due);
        }
    }

    [Fact]
    public void The_survey_records_the_satisfaction_and_comment_once_in_the_history()
    {
        var ticket = Closed(FaultGrade.Grade2);

        ticket.RecordSurvey(4, "fixed the same night", "operator.zhang", T0.AddHours(30), "hotline");

        var survey = ticket.FollowUps.Single(f => f.Kind == FollowUpKind.Survey);
        Assert.Equal((4, "fixed the same night", T0.AddHours(30), false), (survey.Satisfaction, survey.Outcome, survey.DoneAt, survey.DoneLate));
        var step = ticket.History[^1];
        Assert.Equal((TicketStepKind.FollowedUp, "operator.zhang", "survey: satisfaction 4/5; fixed the same night", "hotline"), (step.What, step.Actor, step.Detail, step.Client));
        var again = Assert.Throws<TicketLifecycleException>(() => ticket.RecordSurvey(5, null, "operator.zhang", T0.AddHours(31)));
        Assert.Contains("owes no survey", again.Message, StringComparison.Ordinal);
        Assert.Equal([FollowUpKind.ReturnVisit], ticket.OpenFollowUps.Select(f => f.Kind));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void A_satisfaction_outside_1_to_5_is_refused_and_changes_nothing(int satisfaction)
    {
        var ticket = Closed(FaultGrade.Grade3);

        Assert.Throws<ArgumentOutOfRangeException>(() => ticket.RecordSurvey(satisfaction, null, "operator.zhang", T0.AddHours(25)));

        Assert.Single(ticket.OpenFollowUps);
    }

    [Fact]
    public void The_return_visit_is_recorded_with_what_was_found_and_is_owed_only_after_a_grade_1_or_2_repair()
    {
        var serious = Closed(FaultGrade.Grade1);
        serious.RecordReturnVisit("all lamps lit, driver cool", "li.wei", T0.AddDays(3));
        Assert.Equal("all lamps lit, driver cool", serious.FollowUps.Single(f => f.Kind == FollowUpKind.ReturnVisit).Outcome);
        Assert.Equal("return visit: all lamps lit, driver cool", serious.History[^1].Detail);

        var minor = Closed(FaultGrade.Grade3);
        Assert.Throws<TicketLifecycleException>(() => minor.RecordReturnVisit("fine", "li.wei", T0.AddDays(3)));
    }

    [Fact]
    public void Follow_ups_are_refused_before_the_closing_and_before_the_closing_time()
    {
        var ticket = Resolved(FaultGrade.Grade2, resolvedAt: T0.AddHours(2));
        Assert.Throws<TicketLifecycleException>(() => ticket.RecordSurvey(5, null, "operator.zhang", T0.AddHours(3)));

        ticket.Close("operator.zhang", T0.AddHours(20), null);
        Assert.ThrowsAny<InvalidOperationException>(() => ticket.RecordSurvey(5, null, "operator.zhang", T0.AddHours(19)));
    }

    [Fact]
    public void Reopening_cancels_the_open_follow_ups_and_the_next_repair_owes_new_ones()
    {
        var ticket = Closed(FaultGrade.Grade2);
        ticket.RecordSurvey(2, "lamps out again", "operator.zhang", T0.AddHours(22));

        ticket.Reopen("customer reports the mast dark again", "operator.zhang", T0.AddHours(23));

        Assert.Empty(ticket.OpenFollowUps);
        Assert.True(ticket.FollowUps.Single(f => f.Kind == FollowUpKind.ReturnVisit).Cancelled);
        Assert.False(ticket.FollowUps.Single(f => f.Kind == FollowUpKind.Survey).Cancelled);

        ticket.Acknowledge("li.wei", T0.AddHours(23.5));
        ticket.Resolve(Repair, "li.wei", T0.AddHours(26));
        Assert.Equal([FollowUpKind.Verification], ticket.OpenFollowUps.Select(f => f.Kind));
        Assert.Equal(T0.AddHours(26 + 48), ticket.OpenFollowUps.Single().Due);
    }

    [Fact]
    public void Follow_up_deadlines_are_settings()
    {
        var options = new TicketOptions { VerificationWithin = TimeSpan.FromHours(24), SurveyWithin = TimeSpan.FromHours(8), ReturnVisitWithin = TimeSpan.FromDays(3) };
        var ticket = Ticket.Open(Number, Detected(T0, grade: FaultGrade.Grade2), T0, null, options);
        ticket.Acknowledge("li.wei", T0.AddMinutes(5));
        ticket.Resolve(Repair, "li.wei", T0.AddHours(2));
        Assert.Equal(T0.AddHours(26), ticket.OpenFollowUps.Single().Due);
        ticket.Close("operator.zhang", T0.AddHours(20), null);
        Assert.Equal([T0.AddHours(28), T0.AddHours(20).AddDays(3)], ticket.OpenFollowUps.Select(f => f.Due));

        Assert.Equal(3, new TicketOptions { VerificationWithin = TimeSpan.Zero, SurveyWithin = TimeSpan.FromDays(91), ReturnVisitWithin = -TimeSpan.FromHours(1) }.Validate().Count);
    }

    private static Ticket Resolved(FaultGrade grade, DateTimeOffset resolvedAt)
    {
        var ticket = Ticket.Open(Number, Detected(T0, grade: grade), T0, null, new TicketOptions());
        ticket.Acknowledge("li.wei", T0.AddMinutes(5));
        ticket.Resolve(Repair, "li.wei", resolvedAt);
        return ticket;
    }

    private static Ticket Closed(FaultGrade grade)
    {
        var ticket = Resolved(grade, T0.AddHours(2));
        ticket.Close("operator.zhang", T0.AddHours(20), "customer confirmed");
        return ticket;
    }
}
