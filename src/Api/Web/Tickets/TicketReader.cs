using System.Globalization;
using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Contracts;
using Telemetry.Api.Plant;
using Telemetry.Api.Tickets;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Tickets;

/// <summary>Where a ticket's asset is and what it is called, from the site files.</summary>
/// <param name="Name">The device's name for people, else its id; the gateway or the site when the ticket names no device.</param>
/// <param name="Family">The device's family name (<c>high_mast</c>), if the ticket names a device the plant knows.</param>
/// <param name="Text">The address or landmark the site file gives.</param>
/// <param name="Latitude">Degrees north, the device's, else the site's.</param>
/// <param name="Longitude">Degrees east, the device's, else the site's.</param>
public sealed record AssetPlace(string Name, string? Family, string? Text, double? Latitude, double? Longitude)
{
    /// <summary>The coordinates as text, <c>31.230400, 121.473700</c>; null when unknown.</summary>
    public string? Coordinates => Latitude is { } lat && Longitude is { } lon
        ? string.Create(CultureInfo.InvariantCulture, $"{lat:0.000000}, {lon:0.000000}")
        : null;

    /// <summary>A <c>geo:</c> link that opens the phone's maps app at the asset, with a pin named <paramref name="label"/>.</summary>
    public string? GeoUri(string label) => Latitude is { } lat && Longitude is { } lon
        ? string.Create(CultureInfo.InvariantCulture, $"geo:{lat:0.######},{lon:0.######}?q={lat:0.######},{lon:0.######}({Uri.EscapeDataString(label)})")
        : null;
}

/// <summary>A ticket on a crew's list: the ticket, the next deadline it has not met yet, and where its asset is.</summary>
public sealed record WorkItem(TicketView Ticket, DeadlineView? Next, AssetPlace Place);

/// <summary>How looking up one ticket for a user ended.</summary>
public enum TicketLookupResult
{
    Found,

    /// <summary>Not a ticket number, or no ticket has it.</summary>
    NotFound,

    /// <summary>A ticket of a crew the user is not in.</summary>
    NotYours,
}

/// <summary>One ticket for a user: the ticket when found and theirs to see.</summary>
public sealed record TicketLookup(TicketLookupResult Result, TicketView? Ticket, AssetPlace? Place);

/// <summary>
/// Reads tickets for the web pages with the Api's own rules: a crew member sees its own crews' tickets only
/// (<see cref="Policies.CrewScope"/>), everyone else every ticket.
/// </summary>
public sealed class TicketReader(ITicketRepository repository, ApiPlant plant, TimeProvider clock)
{
    /// <summary>
    /// The tickets not closed of the user's crews (every crew's for a user without a crew scope), the most urgent
    /// first: by the due time of the next deadline not met yet (respond, then arrive, then fix); tickets that met
    /// every deadline (resolved, waiting for verification) last.
    /// </summary>
    public async Task<IReadOnlyList<WorkItem>> WorkOfAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var crews = Policies.CrewScope(user);
        var found = new List<Ticket>();
        if (crews is null)
        {
            found.AddRange(await repository.ListAsync(new TicketQuery { OpenOnly = true, Limit = TicketQuery.MaxLimit }, cancellationToken));
        }
        else
        {
            foreach (var crew in crews.Order(StringComparer.Ordinal))
            {
                found.AddRange(await repository.ListAsync(new TicketQuery { OpenOnly = true, Crew = crew, Limit = TicketQuery.MaxLimit }, cancellationToken));
            }
        }

        var now = clock.GetUtcNow();
        return [.. found
            .DistinctBy(t => t.Number)
            .Select(t => TicketView.From(t, now))
            .Select(v => new WorkItem(v, NextDeadline(v), PlaceOf(v)))
            .OrderBy(w => w.Next is null)
            .ThenBy(w => w.Next?.Due ?? DateTimeOffset.MaxValue)
            .ThenBy(w => w.Ticket.Grade)
            .ThenBy(w => w.Ticket.OpenedAt)];
    }

    /// <summary>The ticket called <paramref name="number"/>, if it is the user's to see.</summary>
    public async Task<TicketLookup> FindAsync(ClaimsPrincipal user, string number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!TicketNumber.TryParse(number, out var parsed) || await repository.FindAsync(parsed, cancellationToken) is not { } ticket)
        {
            return new TicketLookup(TicketLookupResult.NotFound, null, null);
        }

        if (Policies.CrewScope(user) is { } crews && (ticket.Crew is null || !crews.Contains(ticket.Crew)))
        {
            return new TicketLookup(TicketLookupResult.NotYours, null, null);
        }

        var view = TicketView.From(ticket, clock.GetUtcNow());
        return new TicketLookup(TicketLookupResult.Found, view, PlaceOf(view));
    }

    /// <summary>The first deadline, in the order respond, arrive, fix, whose step is not done yet; null when all are.</summary>
    public static DeadlineView? NextDeadline(TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Status is "closed" ? null : ticket.Deadlines.FirstOrDefault(d => d.DoneAt is null);
    }

    /// <summary>The crews the plant's devices name, for reassigning a ticket.</summary>
    public IReadOnlyList<string> Crews() =>
        [.. plant.Sites.SelectMany(s => s.Devices).Select(d => d.Crew).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Where the ticket's asset is: the device's place, else the site's centre.</summary>
    public AssetPlace PlaceOf(TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var site = plant.FindSite(ticket.Site);
        if (ticket.Device is { } device && plant.Find(ticket.Site, device) is { } known)
        {
            var name = known.Device.Name ?? known.Device.Id;
            if (ticket.Circuit is { } circuit)
            {
                name = $"{name} #{circuit}";
            }

            var location = known.Device.Location;
            return new AssetPlace(
                name,
                known.Device.Family.ToContractName(),
                location?.Text,
                location?.Latitude ?? known.Site.Latitude,
                location?.Longitude ?? known.Site.Longitude);
        }

        return new AssetPlace(ticket.Device ?? ticket.Gateway, null, site?.Name, site?.Latitude, site?.Longitude);
    }
}
