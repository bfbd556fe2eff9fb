using System.Globalization;
using Telemetry.Api.Live;
using Telemetry.Api.Tickets;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Operator;

/// <summary>
/// One site on the wall screen: lamp lighting rate, devices and gateways online, open tickets by grade (index 0 is
/// grade 1) and the open tickets with a deadline passed.
/// </summary>
public sealed record SiteFigures(
    string Id,
    string? Name,
    LightingRate? Lighting,
    int Devices,
    int DevicesOnline,
    int Gateways,
    int GatewaysOnline,
    IReadOnlyList<int> OpenByGrade,
    int Overdue)
{
    /// <summary>Devices online over devices, 0 to 1; null for a site without devices.</summary>
    public double? DevicesOnlineRate => Devices > 0 ? (double)DevicesOnline / Devices : null;
}

/// <summary>
/// The whole plant for the overview: every site of the live plant, with the deadlines of the open tickets. Devices
/// count as online as the site plan draws them (<see cref="LivePlant.Answers"/>).
/// </summary>
public sealed class PlantOverview(LivePlant plant, OpenTickets tickets, TimeProvider clock)
{
    public const int Grades = 4;

    /// <summary>Every site, as the live plant and the ticket store have it now.</summary>
    public async Task<IReadOnlyList<SiteFigures>> ReadAsync(CancellationToken cancellationToken)
    {
        // The plant's figures are for everyone who may read the plant, as /api/sites gives them.
        var open = await tickets.ReadAllAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var overdue = open.Where(t => IsOverdue(t, now)).GroupBy(t => t.Asset.Site, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. plant.Sites(now).Select(s => new SiteFigures(
            s.Id,
            s.Name,
            s.Lighting,
            s.Devices,
            s.DevicesOnline,
            s.Gateways,
            s.GatewaysOnline,
            [.. Enumerable.Range(1, Grades).Select(g => s.OpenFaults.GetValueOrDefault(string.Create(CultureInfo.InvariantCulture, $"grade_{g}")))],
            overdue.GetValueOrDefault(s.Id)))];
    }

    /// <summary>A deadline of the ticket (respond, arrive, fix) has passed before its step was done, as the Api reports it.</summary>
    public static bool IsOverdue(Ticket ticket, DateTimeOffset now) => TicketView.From(ticket, now).Deadlines.Any(d => d.Breached);
}
