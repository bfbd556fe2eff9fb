using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Operator;

/// <summary>
/// The tickets not closed, read from the ticket store as <c>GET /api/tickets?open=true</c> reads them: all of them
/// for operators, engineers and admins, a crew member's own crews' only.
/// </summary>
public sealed class OpenTickets(ITicketRepository repository)
{
    /// <summary>The most tickets read for one view: far above what a plant has open at once.</summary>
    public const int MaxTickets = 5 * TicketQuery.MaxLimit;

    /// <summary>Every ticket not closed that <paramref name="user"/> may read.</summary>
    public async Task<IReadOnlyList<Ticket>> ReadAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Policies.CrewScope(user) is not { } crews)
        {
            return await ReadAsync((string?)null, cancellationToken);
        }

        var found = new List<Ticket>();
        foreach (var crew in crews.Order(StringComparer.Ordinal))
        {
            found.AddRange(await ReadAsync(crew, cancellationToken));
        }

        return found;
    }

    /// <summary>Every ticket not closed, of <paramref name="crew"/> when given.</summary>
    public async Task<IReadOnlyList<Ticket>> ReadAsync(string? crew, CancellationToken cancellationToken)
    {
        var found = new List<Ticket>();
        while (found.Count < MaxTickets)
        {
            var page = await repository.ListAsync(new TicketQuery { OpenOnly = true, Crew = crew, Limit = TicketQuery.MaxLimit, Offset = found.Count }, cancellationToken);
            found.AddRange(page);
            if (page.Count < TicketQuery.MaxLimit)
            {
                break;
            }
        }

        return found;
    }
}
