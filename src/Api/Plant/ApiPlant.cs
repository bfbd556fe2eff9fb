using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.Api.Plant;

/// <summary>A device of the plant with the site and the gateway that serve it.</summary>
public sealed record PlantDevice(Site Site, SiteGateway Gateway, SiteDevice Device);

/// <summary>
/// The plant the Api serves, from the same site files Rules reads: loaded once at start, where a broken file stops
/// the start with every error listed. Without site files the plant is empty (tickets are still served).
/// </summary>
public sealed class ApiPlant
{
    private readonly Dictionary<(string Site, string Device), PlantDevice> devices;

    public ApiPlant(IReadOnlyList<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var twice = sites.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new SiteValidationException([new SiteError(string.Join(", ", twice.Select(s => s.Source)), "$.site", SiteRule.DuplicateId, $"site '{twice.Key}' is defined by more than one file")]);
        }

        Sites = sites;
        devices = sites
            .SelectMany(s => s.Gateways.SelectMany(g => g.Devices.Select(d => new PlantDevice(s, g, d))))
            .ToDictionary(d => (d.Site.Id, d.Device.Id));
    }

    public IReadOnlyList<Site> Sites { get; }

    public static ApiPlant Load(ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SiteFiles.Count == 0)
        {
            return new ApiPlant([]);
        }

        var profiles = ProfileLoader.LoadDirectory(settings.ResolvedProfilesDirectory);
        return new ApiPlant([.. settings.SiteFiles.Select(f => SiteLoader.LoadFile(Path.GetFullPath(f), profiles))]);
    }

    public Site? FindSite(string site) => Sites.FirstOrDefault(s => s.Id == site);

    public PlantDevice? Find(string site, string device) => devices.GetValueOrDefault((site, device));
}
