using Telemetry.Contracts;

namespace Telemetry.Maintenance.Thresholds;

/// <summary>How wide a threshold setting reaches; narrower scopes win (global, then family, then site, then device).</summary>
public enum ScopeLevel
{
    Global = 0,
    Family = 1,
    Site = 2,
    Device = 3,
}

/// <summary>Where a threshold setting applies. <see cref="Key"/> is its stored spelling.</summary>
public sealed record ThresholdScope
{
    private ThresholdScope(ScopeLevel level, DeviceFamily? family, string? site, string? device)
    {
        Level = level;
        Family = family;
        Site = site;
        Device = device;
    }

    public static ThresholdScope Global { get; } = new(ScopeLevel.Global, null, null, null);

    public ScopeLevel Level { get; }

    public DeviceFamily? Family { get; }

    public string? Site { get; }

    public string? Device { get; }

    /// <summary><c>global</c>, <c>family:high_mast</c>, <c>site:north</c> or <c>device:north/mast-07</c>.</summary>
    public string Key => Level switch
    {
        ScopeLevel.Global => "global",
        ScopeLevel.Family => $"family:{Family!.Value.ToContractName()}",
        ScopeLevel.Site => $"site:{Site}",
        _ => $"device:{Site}/{Device}",
    };

    public static ThresholdScope ForFamily(DeviceFamily family) => new(ScopeLevel.Family, family, null, null);

    public static ThresholdScope ForSite(string site) => new(ScopeLevel.Site, null, Checked(site, nameof(site)), null);

    public static ThresholdScope ForDevice(string site, string device) =>
        new(ScopeLevel.Device, null, Checked(site, nameof(site)), Checked(device, nameof(device)));

    /// <summary>Reads a <see cref="Key"/>; null when the text is not one.</summary>
    public static ThresholdScope? TryParse(string? key)
    {
        if (key == "global")
        {
            return Global;
        }

        var colon = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 0)
        {
            return null;
        }

        var (kind, rest) = (key![..colon], key[(colon + 1)..]);
        switch (kind)
        {
            case "family" when DeviceFamilyNames.TryParse(rest, out var family):
                return ForFamily(family);
            case "site" when Identifiers.IsValid(rest):
                return ForSite(rest);
            case "device":
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                return slash > 0 && Identifiers.IsValid(rest[..slash]) && Identifiers.IsValid(rest[(slash + 1)..])
                    ? ForDevice(rest[..slash], rest[(slash + 1)..])
                    : null;
            default:
                return null;
        }
    }

    /// <summary>True when a setting at this scope applies to the device.</summary>
    public bool Covers(DeviceFamily family, string site, string device) => Level switch
    {
        ScopeLevel.Global => true,
        ScopeLevel.Family => Family == family,
        ScopeLevel.Site => Site == site,
        _ => Site == site && Device == device,
    };

    public override string ToString() => Key;

    private static string Checked(string value, string name) =>
        Identifiers.IsValid(value) ? value : throw new ArgumentException($"'{value}' is not a valid identifier: {Identifiers.Rule}", name);
}
