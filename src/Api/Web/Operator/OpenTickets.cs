using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Live;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Operator;

/// <summary>
/// The tickets not closed, read from the ticket store as <c>GET /api/tickets?open=true</c> reads them: all of them
/// for operators, engineers and admins, a crew member's own crews' only. Read once per change of the ticket feed and
/// shared by every page connection: twenty wall screens and phones that wake on one new ticket cost one read, not
/// twenty (the tickets handed out are only read by the pages).
/// </summary>
public sealed class OpenTickets(ITicketRepository repository, LiveEvents events)
{
    /// <summary>The most tickets read for one view: far above what a plant has open at once.</summary>
    public const int MaxTickets = 5 * TicketQuery.MaxLimit;

    private readonly Lock _gate = new();
    private (long Cursor, Task<IReadOnlyList<Ticket>> Tickets)? _read;

    /// <summary>Every ticket not closed that <paramref name="user"/> may read.</summary>
    public async Task<IReadOnlyList<Ticket>> ReadAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var all = await ReadAllAsync(cancellationToken);
        return Policies.CrewScope(user) is { } crews ? [.. all.Where(t => t.Crew is { } crew && crews.Contains(crew))] : all;
    }

    /// <summary>Every ticket not closed, whoever asks (the plant's figures), as of the newest ticket change followed.</summary>
    public Task<IReadOnlyList<Ticket>> ReadAllAsync(CancellationToken cancellationToken) => Shared().WaitAsync(cancellationToken);

    private Task<IReadOnlyList<Ticket>> Shared()
    {
        var cursor = events.Cursor.Ticket;
        lock (_gate)
        {
            // A read that failed is not kept: the next page asks again.
            if (_read is { } read && read.Cursor == cursor && !read.Tickets.IsFaulted && !read.Tickets.IsCanceled)
            {
                return read.Tickets;
            }

            var tickets = ReadFromStoreAsync();
            _read = (cursor, tickets);
            return tickets;
        }
    }

    private async Task<IReadOnlyList<Ticket>> ReadFromStoreAsync()
    {
        var found = new List<Ticket>();
        while (found.Count < MaxTickets)
        {
            var page = await repository.ListAsync(new TicketQuery { OpenOnly = true, Limit = TicketQuery.MaxLimit, Offset = found.Count }, CancellationToken.None);
            found.AddRange(page);
            if (page.Count < TicketQuery.MaxLimit)
            {
                break;
            }
        }

        return found;
    }
}
