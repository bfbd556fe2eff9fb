using Telemetry.Api.Live;
using Telemetry.Api.Plant;
using Telemetry.Contracts;

namespace Telemetry.Api.Web.Operator;

/// <summary>What a device's symbol on the plan says: a fault open on it (in its worst grade's colour), offline, never heard from, or online and well.</summary>
public enum DeviceState
{
    Ok,
    Fault,
    Offline,
    Unknown,
}

/// <summary>
/// A device on the site plan: its state, whether it is online (reporting, and readable by its gateway), its worst open grade, and where it is drawn (<see cref="X"/>, <see cref="Y"/>
/// in the plan's box), or null when the site file gives it no coordinates.
/// </summary>
public sealed record PlanDevice(
    string Id,
    string? Name,
    string? Family,
    DeviceState State,
    bool Online,
    int? WorstGrade,
    int OpenFaults,
    string? Place,
    double? X,
    double? Y);

/// <summary>A site's plan: the box the devices are drawn in, the devices placed in it and those without coordinates.</summary>
public sealed record SitePlanView(string Site, string? Name, double Width, double Height, string? ImageUrl, IReadOnlyList<PlanDevice> Placed, IReadOnlyList<PlanDevice> Unplaced);

/// <summary>
/// Draws a site from its devices' coordinates: latitude and longitude projected onto a box (east to the right, north
/// up, a degree of longitude shortened by the cosine of the latitude so that distances keep their proportions), each
/// device with its live state from the plant.
/// </summary>
public sealed class SitePlans(LivePlant plant, ApiPlant sites, SiteImages images, TimeProvider clock)
{
    public const double Width = 1000;
    public const double Height = 600;
    public const double Margin = 60;

    /// <summary>The plan of <paramref name="site"/> as it is now; null when the plant has no such site.</summary>
    public SitePlanView? Read(string site)
    {
        var now = clock.GetUtcNow();
        if (plant.Site(site, now) is not { } status)
        {
            return null;
        }

        var known = sites.FindSite(site);
        var devices = status.Gateways.SelectMany(g => g.Devices).Select(d =>
        {
            var device = d.OpenFaults > 0 ? plant.Device(site, d.Id, null, now) : null;
            var worst = device?.OpenTickets.Select(t => (int?)t.Grade).Min();
            var placed = known?.FindDevice(d.Id);

            var online = LivePlant.Answers(d.Online, d.Quality);
            var state = worst is not null ? DeviceState.Fault
                : !d.Known || d.LastReadingAt is null ? DeviceState.Unknown
                : online ? DeviceState.Ok
                : DeviceState.Offline;
            return (View: new PlanDevice(d.Id, placed?.Name, d.Family, state, online, worst, d.OpenFaults, placed?.Location?.Text, null, null),
                Lat: placed?.Location?.Latitude, Lon: placed?.Location?.Longitude);
        }).ToList();

        var located = devices.Where(d => d.Lat is not null && d.Lon is not null).ToList();
        var placedDevices = new List<PlanDevice>();
        if (located.Count > 0)
        {
            var midLat = located.Average(d => d.Lat!.Value);
            var shrink = Math.Cos(midLat * Math.PI / 180);
            var xs = located.Select(d => d.Lon!.Value * shrink).ToList();
            var ys = located.Select(d => d.Lat!.Value).ToList();
            var (minX, maxX, minY, maxY) = (xs.Min(), xs.Max(), ys.Min(), ys.Max());
            var spanX = maxX - minX;
            var spanY = maxY - minY;
            var scale = Math.Min(
                spanX > 0 ? (Width - (2 * Margin)) / spanX : double.PositiveInfinity,
                spanY > 0 ? (Height - (2 * Margin)) / spanY : double.PositiveInfinity);
            if (double.IsInfinity(scale))
            {
                scale = 0;
            }

            // Centred in the box whichever way the site is longer.
            var offsetX = (Width - (spanX * scale)) / 2;
            var offsetY = (Height - (spanY * scale)) / 2;
            placedDevices.AddRange(located.Select((d, i) => d.View with
            {
                X = Math.Round(offsetX + ((xs[i] - minX) * scale), 1),
                Y = Math.Round(offsetY + ((maxY - ys[i]) * scale), 1),
            }));
        }

        return new SitePlanView(
            site,
            status.Name,
            Width,
            Height,
            images.Has(site) ? SiteImages.UrlOf(site) : null,
            placedDevices,
            [.. devices.Where(d => d.Lat is null || d.Lon is null).Select(d => d.View)]);
    }
}
