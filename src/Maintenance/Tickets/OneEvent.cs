using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Tickets;

/// <summary>
/// One event, one dispatch: the faults one physical event raises on one asset at once become one ticket for the
/// strongest diagnosis, the others attached as related conditions, so that a crew is sent once. The rule (also in
/// the README's Tickets section):
/// <list type="bullet">
/// <item>The faults of one lighting circuit or mast that describe its lighting lost are one family of diagnoses, from
/// the cause to its symptoms: <c>cable_theft</c>, <c>total_dark</c>, <c>mast_outage</c>, <c>single_lamps_dark</c>.</item>
/// <item>A detection of one of them on an asset whose ticket for another of them is still being worked (open,
/// acknowledged, on site) and began within <see cref="TicketOptions.SameEventWindow"/> of the detection is the same
/// event: it is attached to that ticket instead of opening one.</item>
/// <item>The ticket names the strongest diagnosis: the lower grade number, and between equal grades the cause
/// before its symptom (the order above). A stronger diagnosis arriving second takes the ticket over and the one it
/// replaces becomes a related condition; the grade rises with it, deadlines counted from the opening as in any
/// regrade.</item>
/// <item>Each related condition keeps its own occurrences and clearing; a ticket is active while any of its
/// conditions is. Later detections of a related condition count on the same ticket, and a recurrence after closing is
/// a repeat repair as for the ticket's own fault.</item>
/// </list>
/// An older ticket, or one already resolved, is another event: the new fault opens its own ticket.
/// </summary>
public static class OneEvent
{
    /// <summary>The lighting-loss diagnoses, the cause first, each a symptom of the ones before it.</summary>
    private static readonly FaultType[] LightingLost = [FaultType.CableTheft, FaultType.TotalDark, FaultType.MastOutage, FaultType.SingleLampsDark];

    /// <summary>The faults that may be the same event as <paramref name="fault"/> on one asset (itself excluded); empty when none.</summary>
    public static IReadOnlyList<FaultType> RelatedTo(FaultType fault) =>
        Array.IndexOf(LightingLost, fault) >= 0 ? [.. LightingLost.Where(f => f != fault)] : [];

    /// <summary>Whether <paramref name="candidate"/> at <paramref name="candidateGrade"/> is a stronger diagnosis than <paramref name="current"/> at <paramref name="currentGrade"/>.</summary>
    public static bool Outranks(FaultType candidate, FaultGrade candidateGrade, FaultType current, FaultGrade currentGrade)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(current);
        return candidateGrade != currentGrade
            ? candidateGrade < currentGrade
            : Rank(candidate) < Rank(current);
    }

    private static int Rank(FaultType fault) => Array.IndexOf(LightingLost, fault) is var i and >= 0 ? i : int.MaxValue;
}

/// <summary>
/// A condition the same event raised on a ticket's asset, attached to the ticket rather than dispatched again
/// (<see cref="OneEvent"/>): its fault and grade, its own occurrences, and whether the rule still sees it.
/// </summary>
public sealed record RelatedCondition(
    FaultType Fault,
    FaultGrade Grade,
    string Summary,
    DateTimeOffset FirstOccurrence,
    DateTimeOffset LastOccurrence,
    int Occurrences,
    bool Active,
    DateTimeOffset? ClearedAt,
    IReadOnlyDictionary<string, double> Evidence);
