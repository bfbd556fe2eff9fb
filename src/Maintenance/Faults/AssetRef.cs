using Telemetry.Contracts;

namespace Telemetry.Maintenance.Faults;

/// <summary>
/// The thing a fault is on: a gateway (no device), a device, or one circuit of a device.
/// <see cref="Key"/> is the identity tickets are unique by (one open ticket per asset and fault type).
/// </summary>
public sealed record AssetRef
{
    public AssetRef(string site, string gateway, string? device = null, string? circuit = null)
    {
        Check(site, nameof(site));
        Check(gateway, nameof(gateway));
        if (device is not null)
        {
            Check(device, nameof(device));
        }

        if (circuit is not null)
        {
            if (device is null)
            {
                throw new ArgumentException("a circuit belongs to a device", nameof(circuit));
            }

            Check(circuit, nameof(circuit));
        }

        Site = site;
        Gateway = gateway;
        Device = device;
        Circuit = circuit;
    }

    public string Site { get; }

    public string Gateway { get; }

    /// <summary>Null when the asset is the gateway itself.</summary>
    public string? Device { get; }

    /// <summary>The circuit of a multi-circuit device, or null for the whole device.</summary>
    public string? Circuit { get; }

    /// <summary><c>site/gateway[/device[/circuit]]</c>.</summary>
    public string Key => Device is null ? $"{Site}/{Gateway}"
        : Circuit is null ? $"{Site}/{Gateway}/{Device}"
        : $"{Site}/{Gateway}/{Device}/{Circuit}";

    /// <summary>Reads a <see cref="Key"/> back; null when the text is not one.</summary>
    public static AssetRef? TryParse(string? key)
    {
        var parts = key?.Split('/');
        if (parts is null || parts.Length is < 2 or > 4 || !parts.All(Identifiers.IsValid))
        {
            return null;
        }

        return new AssetRef(parts[0], parts[1], parts.Length > 2 ? parts[2] : null, parts.Length > 3 ? parts[3] : null);
    }

    public override string ToString() => Key;

    private static void Check(string value, string name)
    {
        if (!Identifiers.IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not a valid identifier: {Identifiers.Rule}", name);
        }
    }
}
