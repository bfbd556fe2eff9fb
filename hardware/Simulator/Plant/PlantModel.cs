using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>
/// The simulated devices of a site (or of one gateway of it) and the weather they share, advanced together
/// in simulated time. Not thread-safe: <see cref="Serving.Simulation"/> serialises access.
/// </summary>
public sealed class PlantModel
{
    private readonly List<SimulatedDevice> devices;
    private readonly Dictionary<string, SimulatedDevice> byId;

    public PlantModel(Site site, IEnumerable<SiteDevice> devices, PhysicsSettings settings, int seed, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(settings);
        Site = site;
        Climate = new Climate(site.Latitude, site.Longitude, site.TimeZone, seed, settings);
        Context = new DeviceContext(Climate, settings, seed, start);
        this.devices = [.. devices.Select(d => Create(d, Context, start))];
        this.devices.ForEach(d => d.Settle());
        byId = this.devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        Time = start;
    }

    public Site Site { get; }

    public Climate Climate { get; }

    public DeviceContext Context { get; }

    public IReadOnlyList<SimulatedDevice> Devices => devices;

    /// <summary>Simulated time the plant has been advanced to.</summary>
    public DateTimeOffset Time { get; private set; }

    public SimulatedDevice? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>Advances every device to <paramref name="now"/> (never backwards).</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        if (now <= Time)
        {
            return;
        }

        foreach (var device in devices)
        {
            device.Advance(now);
        }

        Time = now;
    }

    public static SimulatedDevice Create(SiteDevice device, DeviceContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Family switch
        {
            DeviceFamily.StreetController => new StreetControllerDevice(device, context, now),
            DeviceFamily.HighMast => new HighMastDevice(device, context, now),
            DeviceFamily.DistributionBox => new DistributionBoxDevice(device, context, now),
            DeviceFamily.EmergencyBattery => new EmergencyBatteryDevice(device, context, now),
            DeviceFamily.LightTimeController => new LightTimeControllerDevice(device, context, now),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device.Family, "unknown device family"),
        };
    }
}
