using Telemetry.Contracts;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Sites;

/// <summary>One field device as placed in a site: what it is (its profile), where it is, and how it is reached.</summary>
public sealed record SiteDevice
{
    /// <summary>Device id, unique in the site: the <c>device</c> of readings and the <c>{device}</c> of command topics.</summary>
    public required string Id { get; init; }

    /// <summary>Name for people, if given.</summary>
    public string? Name { get; init; }

    /// <summary>The gateway that polls the device.</summary>
    public required string GatewayId { get; init; }

    /// <summary>Which kind of plant the device is (equal to its profile's).</summary>
    public required DeviceFamily Family { get; init; }

    /// <summary>The register map of the device's model.</summary>
    public required DeviceProfile Profile { get; init; }

    /// <summary>The link the device is on (a link of its gateway).</summary>
    public required string LinkId { get; init; }

    /// <summary>Modbus unit (slave) id, 1 to 247, unique on its link.</summary>
    public required int UnitId { get; init; }

    /// <summary>How often the gateway reads the device.</summary>
    public required TimeSpan PollInterval { get; init; }

    /// <summary>Lamps installed on the device (the sum over its circuits); 0 for devices that switch no lamps of their own.</summary>
    public int LampsInstalled { get; init; }

    /// <summary>Where the device is, if given.</summary>
    public DeviceLocation? Location { get; init; }

    /// <summary>The crew ring the device lies in, which sets the on-site targets of its tickets.</summary>
    public required CrewZone CrewZone { get; init; }

    /// <summary>The crew whose alerts carry the device's tickets (<c>lighting/alerts/{crew}</c>), if assigned.</summary>
    public string? Crew { get; init; }

    /// <summary>Whether the device (a distribution box) is fed from two supplies with a changeover, which is tested every 6 months.</summary>
    public bool DualSupply { get; init; }

    /// <summary>The circuit or building the device belongs to; emergency units of one group are not all discharged at once.</summary>
    public string? Group { get; init; }

    /// <summary>The circuits the site describes (number, name, lamps), in number order; empty when the file gives none.</summary>
    public IReadOnlyList<SiteCircuit> Circuits { get; init; } = [];

    /// <summary>The day the device went into service (投运日期), if the file gives it.</summary>
    public DateOnly? Commissioned { get; init; }

    /// <summary>The last day of the supplier's warranty (质保到期), if the file gives it.</summary>
    public DateOnly? WarrantyUntil { get; init; }

    /// <summary>The maker's serial number, if the file gives it.</summary>
    public string? Serial { get; init; }

    /// <summary>The profile's model id.</summary>
    public string Model => Profile.Model;

    /// <summary>
    /// Lamps on circuit <paramref name="circuit"/>: as the file says; when it lists no circuits, the device's lamps
    /// spread over the profile's circuits as evenly as they go (lower circuits take the remainder).
    /// </summary>
    public int LampsOn(int circuit)
    {
        if (circuit < 1 || circuit > Math.Max(1, Profile.CircuitCount))
        {
            throw new ArgumentOutOfRangeException(nameof(circuit), circuit, $"model {Model} has {Profile.CircuitCount} circuits");
        }

        if (Circuits.Count > 0)
        {
            return Circuits.FirstOrDefault(c => c.Number == circuit)?.LampsInstalled ?? 0;
        }

        var count = Math.Max(1, Profile.CircuitCount);
        return (LampsInstalled / count) + (circuit <= LampsInstalled % count ? 1 : 0);
    }
}

/// <summary>A circuit of a device as the site describes it.</summary>
/// <param name="Number">1-based circuit number of the profile.</param>
/// <param name="Name">What it feeds, for people (<c>Ring road east</c>).</param>
/// <param name="LampsInstalled">Lamps on the circuit.</param>
public sealed record SiteCircuit(int Number, string? Name, int LampsInstalled);

/// <summary>Where a device is.</summary>
/// <param name="Latitude">Degrees north, if known.</param>
/// <param name="Longitude">Degrees east, if known.</param>
/// <param name="Text">Address or landmark, for crews.</param>
public sealed record DeviceLocation(double? Latitude, double? Longitude, string? Text);
