using Telemetry.Simulator.Control;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>What every simulated device of a site shares: the weather, the lighting schedule, the constants and the run's seed.</summary>
public sealed class DeviceContext
{
    public DeviceContext(Climate climate, PhysicsSettings settings, int seed, DateTimeOffset start)
    {
        Climate = climate;
        Settings = settings;
        Seed = seed;
        Start = start;
        Schedule = new LightingSchedule(climate);
    }

    public Climate Climate { get; }

    public LightingSchedule Schedule { get; }

    public PhysicsSettings Settings { get; }

    public int Seed { get; }

    /// <summary>When the simulation started (simulated time).</summary>
    public DateTimeOffset Start { get; }
}
