using Telemetry.Devices.Sites;

namespace Telemetry.Gateway.Configuration;

/// <summary>What one gateway of a site polls: its site, its links and devices, as loaded from the site file.</summary>
/// <param name="Site">The whole site.</param>
/// <param name="Gateway">This gateway.</param>
/// <param name="Version">Increases by one with each successful reload.</param>
public sealed record GatewayPlant(Site Site, SiteGateway Gateway, int Version)
{
    public string SiteId => Site.Id;

    public string GatewayId => Gateway.Id;

    public SiteDevice? FindDevice(string id) => Gateway.Devices.FirstOrDefault(d => d.Id == id);
}
