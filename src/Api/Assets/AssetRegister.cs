using Telemetry.Api.History;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Assets;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Assets;

/// <summary>
/// The asset register (domain section 6): per device of the site files its commissioning date, warranty end, model and
/// serial, with every ticket (the device's own and its circuits'), every work order, every battery test and every part
/// replaced. Parts come from the resolutions of its tickets; work orders record checklists and readings, not parts.
/// Warranty status is reckoned on the site's own calendar day.
/// </summary>
public sealed class AssetRegister(ApiPlant plant, ITicketRepository tickets, IWorkOrderStore workOrders, BatteryTestLog tests, TimeProvider clock)
{
    /// <summary>How far back tests are read for a unit without a commissioning date.</summary>
    public static readonly TimeSpan TestsRangeWithoutCommissioning = TimeSpan.FromDays(10 * 366);

    /// <summary>Every device of the plant the user may see (a crew member: its crews'), optionally of one site, by site then device.</summary>
    public IReadOnlyList<AssetSummary> List(IReadOnlySet<string>? crews, string? site = null, WarrantyStatus? warranty = null) =>
        [.. plant.Sites
            .Where(s => site is null || s.Id == site)
            .SelectMany(s => s.Gateways.SelectMany(g => g.Devices.Select(d => new PlantDevice(s, g, d))))
            .Where(d => Visible(d, crews))
            .Select(Summary)
            .Where(a => warranty is null || a.Warranty == warranty.Value.ToName())
            .OrderBy(a => a.Site, StringComparer.Ordinal)
            .ThenBy(a => a.Device, StringComparer.Ordinal)];

    /// <summary>Whether a crew member of <paramref name="crews"/> (null: anyone wider) sees the device.</summary>
    public static bool Visible(PlantDevice device, IReadOnlySet<string>? crews)
    {
        ArgumentNullException.ThrowIfNull(device);
        return crews is null || (device.Device.Crew is { } crew && crews.Contains(crew));
    }

    /// <summary>The site's today: the calendar day in its time zone.</summary>
    public DateOnly Today(Site site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), site.TimeZone).DateTime);
    }

    /// <summary>The warranty status of the device a ticket or work order is on; <see cref="WarrantyStatus.Unknown"/> when the plant does not know it.</summary>
    public WarrantyStatus WarrantyOf(AssetRef asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return asset.Device is { } device && plant.Find(asset.Site, device) is { } found
            ? Warranty.StatusOn(found.Device.WarrantyUntil, Today(found.Site))
            : WarrantyStatus.Unknown;
    }

    public AssetSummary Summary(PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var d = device.Device;
        var today = Today(device.Site);
        return new AssetSummary(
            device.Site.Id, device.Gateway.Id, d.Id, d.Name, d.Family.ToContractName(), d.Model, d.Serial, d.Crew, d.Location?.Text,
            d.Commissioned, d.WarrantyUntil, Warranty.StatusOn(d.WarrantyUntil, today).ToName(),
            d.WarrantyUntil is { } until ? until.DayNumber - today.DayNumber : null, today);
    }

    /// <summary>The device's whole record.</summary>
    public async Task<AssetRecord> RecordAsync(PlantDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var keys = AssetKeys(device);

        var found = new List<Ticket>();
        var orders = new List<WorkOrder>();
        foreach (var key in keys)
        {
            found.AddRange(await tickets.ListAsync(new TicketQuery { AssetKey = key, Limit = TicketQuery.MaxLimit }, cancellationToken));
            orders.AddRange(await workOrders.ListAsync(new WorkOrderQuery { AssetKey = key, Limit = WorkOrderQuery.MaxLimit }, cancellationToken));
        }

        var parts = found
            .Where(t => t.Resolution is not null && t.ResolvedAt is not null)
            .SelectMany(t => t.Resolution!.PartsReplaced.Select(p => new AssetPart(p, t.ResolvedAt!.Value, t.ResolvedBy, t.Number.ToString())))
            .OrderByDescending(p => p.ReplacedAt)
            .ToList();

        var (testList, refused) = await TestsAsync(device, cancellationToken);
        return new AssetRecord(
            Summary(device),
            [.. found.OrderByDescending(t => t.OpenedAt).Select(AssetTicket.From)],
            [.. orders.OrderByDescending(o => o.DueDate).ThenByDescending(o => o.Number.ToString(), StringComparer.Ordinal).Select(AssetWorkOrder.From)],
            testList,
            refused,
            parts);
    }

    private async Task<(IReadOnlyList<AssetTest>? Tests, string? Refused)> TestsAsync(PlantDevice device, CancellationToken cancellationToken)
    {
        if (device.Device.Family != DeviceFamily.EmergencyBattery)
        {
            return ([], null);
        }

        if (!tests.Available)
        {
            return (null, "no readings store is configured");
        }

        var now = clock.GetUtcNow();
        var from = device.Device.Commissioned is { } day
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), device.Site.TimeZone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)))
            : now - TestsRangeWithoutCommissioning;
        try
        {
            var run = await tests.ReadAsync(device, from, now.AddMinutes(1), cancellationToken);
            return ([.. run.Select(AssetTest.From)], null);
        }
        catch (InfluxException ex)
        {
            return (null, $"the readings store did not answer: {ex.Message}");
        }
    }

    // The device's own key and each of its circuits': tickets and work orders are kept per circuit where one is named.
    private static List<string> AssetKeys(PlantDevice device)
    {
        var own = new AssetRef(device.Site.Id, device.Gateway.Id, device.Device.Id);
        var circuits = Enumerable.Range(1, Math.Max(0, device.Device.Profile.CircuitCount))
            .Select(c => new AssetRef(device.Site.Id, device.Gateway.Id, device.Device.Id, c.ToString(System.Globalization.CultureInfo.InvariantCulture)).Key);
        return [own.Key, .. circuits];
    }
}
