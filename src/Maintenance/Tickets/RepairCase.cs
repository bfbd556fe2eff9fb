namespace Telemetry.Maintenance.Tickets;

/// <summary>A repair in the case library: the fault, what caused it, what was done and which parts it took.</summary>
public sealed record RepairCase(
    TicketNumber Number,
    string Fault,
    string AssetKey,
    DateTimeOffset ResolvedAt,
    string Cause,
    string Action,
    IReadOnlyList<string> Parts,
    string? Note,
    string Summary);

/// <summary>What to look for in the case library: words anywhere in a case (any language), a fault type, or both.</summary>
/// <param name="Text">Words to find in the cause, action, parts, note or summary; null for every case.</param>
/// <param name="Fault">A fault type's name; null for every fault.</param>
/// <param name="Limit">At most this many cases, the best matches (or the newest) first.</param>
public sealed record CaseQuery(string? Text, string? Fault, int Limit = 20);

/// <summary>
/// The case library: the repairs of past tickets (fault, cause, action, parts), kept while the repair stands and searched
/// as text, so that a crew facing a fault sees how the same fault was fixed before.
/// </summary>
public interface ICaseLibrary
{
    Task<IReadOnlyList<RepairCase>> SearchAsync(CaseQuery query, CancellationToken cancellationToken);
}
