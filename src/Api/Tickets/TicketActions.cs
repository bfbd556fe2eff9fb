using System.Globalization;
using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>Why a ticket step was not taken.</summary>
public enum TicketRefusalKind
{
    /// <summary>A crew member acted on a ticket of another crew.</summary>
    NotYourCrew,

    /// <summary>The ticket changed since the version the caller saw.</summary>
    Stale,

    NotFound,

    /// <summary>The ticket's state does not allow the step (acknowledging a closed ticket).</summary>
    InvalidStep,

    /// <summary>Reopening when a newer ticket of the asset and fault is not closed.</summary>
    NewerOpen,

    /// <summary>Opening by hand when a ticket of the asset and fault is already open.</summary>
    AlreadyOpen,
}

/// <summary>A refused step: why, and the words the Api answers with (the web app says it in the user's language).</summary>
/// <param name="Kind">Why.</param>
/// <param name="Title">The problem's title, in English.</param>
/// <param name="Detail">The problem's detail, in English.</param>
/// <param name="Version">The ticket's version now, for <see cref="TicketRefusalKind.Stale"/>.</param>
/// <param name="State">The ticket's state, for <see cref="TicketRefusalKind.InvalidStep"/>.</param>
/// <param name="Existing">The ticket already open, for <see cref="TicketRefusalKind.AlreadyOpen"/>.</param>
public sealed record TicketRefusal(TicketRefusalKind Kind, string Title, string Detail, long? Version = null, string? State = null, string? Existing = null);

/// <summary>A step taken (<see cref="Ticket"/>) or refused (<see cref="Refusal"/>).</summary>
public sealed record TicketActionResult(Ticket? Ticket, TicketRefusal? Refusal);

/// <summary>
/// Ticket steps as a signed-in user takes them, over HTTP or from the web app: a crew member only on its own crews'
/// tickets, only over the version the user saw, recorded with the user and the client.
/// </summary>
public sealed class TicketActions(ITicketRepository repository, TimeProvider clock)
{
    /// <summary>Takes <paramref name="change"/> (named <paramref name="action"/>) on ticket <paramref name="number"/> for <paramref name="user"/>.</summary>
    public async Task<TicketActionResult> ChangeAsync(ClaimsPrincipal user, TicketNumber number, string action, long? expected, TicketChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(change);
        var by = By(user);
        var crews = Policies.CrewScope(user);
        try
        {
            // Checked on the ticket as loaded for the change, which the store saves only over that version.
            var ticket = await repository.ChangeAsync(
                number,
                t =>
                {
                    if (crews is not null && (t.Crew is null || !crews.Contains(t.Crew)))
                    {
                        throw new Refused(new TicketRefusal(TicketRefusalKind.NotYourCrew, "Not your crew", $"Ticket {number} is not one of your crews'"));
                    }

                    if (expected is { } version && t.Version != version)
                    {
                        throw new Refused(new TicketRefusal(TicketRefusalKind.Stale, "The ticket has changed",
                            string.Create(CultureInfo.InvariantCulture, $"Ticket {number} is at version {t.Version}, not {version}: read it again and decide"),
                            Version: t.Version));
                    }

                    change(t, by);
                },
                cancellationToken);
            return new TicketActionResult(ticket, null);
        }
        catch (Refused refused)
        {
            return new TicketActionResult(null, refused.Refusal);
        }
        catch (TicketNotFoundException)
        {
            return new TicketActionResult(null, new TicketRefusal(TicketRefusalKind.NotFound, "No such ticket", $"There is no ticket {number}"));
        }
        catch (TicketLifecycleException e)
        {
            return new TicketActionResult(null, new TicketRefusal(TicketRefusalKind.InvalidStep, $"Cannot {action} a ticket that is {e.Status.ToName()}", e.Message,
                State: e.Status.ToName()));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // Reopening when a newer ticket for the asset and fault is not closed: one ticket not closed per asset and fault.
            return new TicketActionResult(null, new TicketRefusal(TicketRefusalKind.NewerOpen, $"Cannot {action} the ticket",
                $"Ticket {number}'s asset has a newer ticket for the fault that is not closed; work on that one"));
        }
    }

    /// <summary>Opens a ticket by hand for <paramref name="user"/>.</summary>
    public async Task<TicketActionResult> OpenAsync(ClaimsPrincipal user, Func<ActionBy, ManualTicket> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return new TicketActionResult(await repository.OpenManualAsync(request(By(user)), cancellationToken), null);
        }
        catch (TicketAlreadyOpenException e)
        {
            return new TicketActionResult(null, new TicketRefusal(TicketRefusalKind.AlreadyOpen, "A ticket is already open", e.Message, Existing: e.Existing.ToString()));
        }
    }

    private ActionBy By(ClaimsPrincipal user) => new(user.Identity!.Name!, Policies.ClientOf(user), clock.GetUtcNow());

    private sealed class Refused(TicketRefusal refusal) : Exception(refusal.Title)
    {
        public TicketRefusal Refusal { get; } = refusal;
    }
}
