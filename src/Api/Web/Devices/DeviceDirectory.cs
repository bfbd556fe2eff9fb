using System.Globalization;
using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Live;
using Telemetry.Api.Plant;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Devices;

/// <summary>Whether a user may open a device's page.</summary>
public enum DeviceAccess
{
    Allowed,

    /// <summary>No site file lists the device.</summary>
    NotFound,

    /// <summary>A crew member, and another crew looks after the device (as the history endpoint refuses it).</summary>
    NotYourCrew,
}

/// <summary>The tickets of a device and its circuits that the user may see: those not closed, and the closed ones, newest first.</summary>
public sealed record DeviceTickets(IReadOnlyList<Ticket> Open, IReadOnlyList<Ticket> Past);

/// <summary>
/// What the device page reads of one device: the site file's description, its live status from the in-memory plant,
/// and its tickets from the ticket store, each within the user's crew scope.
/// </summary>
public sealed class DeviceDirectory(ApiPlant plant, LivePlant live, ITicketRepository tickets, TimeProvider clock)
{
    /// <summary>The most closed tickets the page lists.</summary>
    public const int PastShown = 20;

    public DeviceAccess Check(ClaimsPrincipal user, string site, string device, out PlantDevice? found)
    {
        ArgumentNullException.ThrowIfNull(user);
        found = plant.Find(site, device);
        if (found is null)
        {
            return DeviceAccess.NotFound;
        }

        // A crew member reads the devices its crews look after, as it sees their tickets only.
        return Policies.CrewScope(user) is { } crews && (found.Device.Crew is null || !crews.Contains(found.Device.Crew))
            ? DeviceAccess.NotYourCrew
            : DeviceAccess.Allowed;
    }

    /// <summary>The device as the live plant holds it now.</summary>
    public DeviceStatus? Live(ClaimsPrincipal user, PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return live.Device(device.Site.Id, device.Device.Id, Policies.CrewScope(user), clock.GetUtcNow());
    }

    /// <summary>The asset of the device itself (<c>site/gateway/device</c>), on which a ticket is opened by hand.</summary>
    public static AssetRef AssetOf(PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new AssetRef(device.Site.Id, device.Gateway.Id, device.Device.Id);
    }

    /// <summary>Whether a ticket of <paramref name="asset"/> is one of the device's (the device or one of its circuits).</summary>
    public static bool Concerns(PlantDevice device, AssetRef asset)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(asset);
        return asset.Site == device.Site.Id && asset.Gateway == device.Gateway.Id && asset.Device == device.Device.Id;
    }

    /// <summary>The tickets of the device and of each of its circuits that the user may see.</summary>
    public async Task<DeviceTickets> TicketsAsync(ClaimsPrincipal user, PlantDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var crews = Policies.CrewScope(user);
        var own = AssetOf(device);
        var keys = new List<string> { own.Key };
        keys.AddRange(Enumerable.Range(1, device.Device.Profile.CircuitCount).Select(c => $"{own.Key}/{c.ToString(CultureInfo.InvariantCulture)}"));
        var found = new List<Ticket>();
        foreach (var key in keys)
        {
            var open = await tickets.ListAsync(new TicketQuery { AssetKey = key, OpenOnly = true, Limit = TicketQuery.MaxLimit }, cancellationToken);
            var recent = await tickets.ListAsync(new TicketQuery { AssetKey = key, Limit = PastShown + open.Count }, cancellationToken);
            found.AddRange(open);
            found.AddRange(recent);
        }

        var visible = found
            .Where(t => crews is null || (t.Crew is not null && crews.Contains(t.Crew)))
            .DistinctBy(t => t.Number)
            .OrderByDescending(t => t.OpenedAt)
            .ToList();
        return new DeviceTickets(
            [.. visible.Where(t => t.Status != TicketStatus.Closed).OrderBy(t => t.Grade).ThenByDescending(t => t.OpenedAt)],
            [.. visible.Where(t => t.Status == TicketStatus.Closed).Take(PastShown)]);
    }
}
