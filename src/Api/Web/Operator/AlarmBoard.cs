using System.Security.Claims;
using Telemetry.Api.Tickets;

namespace Telemetry.Api.Web.Operator;

/// <summary>The deadline a ticket waits on now (<c>response</c>, <c>arrival</c>, <c>fix</c>), when it falls due, and whether it has passed.</summary>
public sealed record DeadlineState(string Kind, DateTimeOffset Due, bool Passed);

/// <summary>
/// One open ticket in the alarm list: what, where, since when, who has it, the deadline it waits on, and whether any of
/// its deadlines was breached.
/// </summary>
public sealed record AlarmRow(
    string Number,
    int Grade,
    string Fault,
    string Asset,
    string Site,
    string? Device,
    DateTimeOffset OpenedAt,
    string Status,
    string? Crew,
    DeadlineState? Next,
    bool Overdue);

/// <summary>
/// The alarm list: the tickets not closed that the user may read, grade 1 on top, the newest first within a grade.
/// </summary>
public sealed class AlarmBoard(OpenTickets tickets, TimeProvider clock)
{
    /// <summary>The open tickets of <paramref name="user"/>'s view, in the list's order.</summary>
    public async Task<IReadOnlyList<AlarmRow>> ReadAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var open = await tickets.ReadAsync(user, cancellationToken);
        var now = clock.GetUtcNow();
        return Order(open.Select(t => Row(TicketView.From(t, now))));
    }

    /// <summary>Grade ascending (grade 1 on top), then the newest opened first.</summary>
    public static IReadOnlyList<AlarmRow> Order(IEnumerable<AlarmRow> rows) =>
        [.. rows.OrderBy(r => r.Grade).ThenByDescending(r => r.OpenedAt).ThenByDescending(r => r.Number, StringComparer.Ordinal)];

    public static AlarmRow Row(TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var next = ticket.Deadlines.FirstOrDefault(d => d.DoneAt is null);
        return new AlarmRow(
            ticket.Number,
            ticket.Grade,
            ticket.Fault,
            ticket.Asset,
            ticket.Site,
            ticket.Device,
            ticket.OpenedAt,
            ticket.Status,
            ticket.Crew,
            next is null ? null : new DeadlineState(next.Kind, next.Due, next.Breached),
            ticket.Deadlines.Any(d => d.Breached));
    }

    /// <summary>The grade-1 tickets in <paramref name="now"/> that were not in <paramref name="before"/>: what the alarm sounds for.</summary>
    public static int NewGradeOne(IReadOnlyCollection<AlarmRow> before, IReadOnlyCollection<AlarmRow> now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(now);
        var known = before.Where(r => r.Grade == 1).Select(r => r.Number).ToHashSet(StringComparer.Ordinal);
        return now.Count(r => r.Grade == 1 && !known.Contains(r.Number));
    }
}
