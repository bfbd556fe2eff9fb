using System.Globalization;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Tickets;

/// <summary>The follow-up after a repair: verification, the customer's survey and, for grades 1 and 2, a return visit.</summary>
public sealed partial class Ticket
{
    /// <summary>Every follow-up task the ticket has owed, in the order owed (done, cancelled and open).</summary>
    public IReadOnlyList<FollowUp> FollowUps => state.FollowUps;

    /// <summary>The follow-up tasks still to do.</summary>
    public IEnumerable<FollowUp> OpenFollowUps => state.FollowUps.Where(f => f.IsOpen);

    /// <summary>The customer's satisfaction (1 to 5) and what they said, asked after the closing.</summary>
    public void RecordSurvey(int satisfaction, string? comment, string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "record the survey";
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (satisfaction is < FollowUp.LowestSatisfaction or > FollowUp.HighestSatisfaction)
        {
            throw new ArgumentOutOfRangeException(nameof(satisfaction), satisfaction, $"satisfaction is {FollowUp.LowestSatisfaction} to {FollowUp.HighestSatisfaction}");
        }

        var detail = string.IsNullOrWhiteSpace(comment)
            ? string.Create(CultureInfo.InvariantCulture, $"survey: satisfaction {satisfaction}/5")
            : string.Create(CultureInfo.InvariantCulture, $"survey: satisfaction {satisfaction}/5; {comment}");
        Complete(Step, FollowUpKind.Survey, actor, at, string.IsNullOrWhiteSpace(comment) ? null : comment, satisfaction, detail, client);
    }

    /// <summary>The return visit made, with what the crew found (the repair holds, or not: then reopen the ticket).</summary>
    public void RecordReturnVisit(string outcome, string actor, DateTimeOffset at, string? client = null)
    {
        const string Step = "record the return visit";
        ArgumentException.ThrowIfNullOrWhiteSpace(outcome);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        Complete(Step, FollowUpKind.ReturnVisit, actor, at, outcome, null, $"return visit: {outcome}", client);
    }

    private void Complete(string step, FollowUpKind kind, string actor, DateTimeOffset at, string? outcome, int? satisfaction, string detail, string? client)
    {
        Require(step, TicketStatus.Closed);
        var index = state.FollowUps.ToList().FindIndex(f => f.Kind == kind && f.IsOpen);
        if (index < 0)
        {
            throw new TicketLifecycleException(Number, Status, step, $"it owes no {Describe(kind)}");
        }

        at = NotBefore(step, at, ClosedAt);
        var followUps = state.FollowUps.ToArray();
        followUps[index] = followUps[index] with { DoneAt = at, DoneBy = actor, Outcome = outcome, Satisfaction = satisfaction };
        Apply(state with { FollowUps = followUps });
        AddStep(TicketStepKind.FollowedUp, actor, at, detail, client);
    }

    private FollowUp[] OweVerification(DateTimeOffset resolvedAt) =>
        [.. state.FollowUps, new FollowUp(FollowUpKind.Verification, resolvedAt + options.VerificationWithin)];

    // The closing is the verification; it owes the survey, and after a grade 1 or 2 repair the return visit.
    private FollowUp[] OweAfterClosing(string actor, DateTimeOffset closedAt, string? note)
    {
        var followUps = state.FollowUps
            .Select(f => f is { Kind: FollowUpKind.Verification, IsOpen: true } ? f with { DoneAt = closedAt, DoneBy = actor, Outcome = note } : f)
            .ToList();
        followUps.Add(new FollowUp(FollowUpKind.Survey, closedAt + options.SurveyWithin));
        if (Grade is FaultGrade.Grade1 or FaultGrade.Grade2)
        {
            followUps.Add(new FollowUp(FollowUpKind.ReturnVisit, closedAt + options.ReturnVisitWithin));
        }

        return [.. followUps];
    }

    private FollowUp[] CancelOpenFollowUps() => [.. state.FollowUps.Select(f => f.IsOpen ? f with { Cancelled = true } : f)];

    private static string Describe(FollowUpKind kind) => kind switch
    {
        FollowUpKind.Verification => "verification",
        FollowUpKind.Survey => "survey",
        _ => "return visit",
    };
}
