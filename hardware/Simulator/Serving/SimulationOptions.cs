using Telemetry.Simulator.Physics;
using Telemetry.Simulator.Scenarios;

namespace Telemetry.Simulator.Serving;

/// <summary>How a <see cref="Simulation"/> plays a site.</summary>
public sealed record SimulationOptions
{
    /// <summary>Serve only this gateway's devices; every gateway's when null.</summary>
    public string? Gateway { get; init; }

    /// <summary>Serve only these links (and simulate only their devices); every link when null.</summary>
    public IReadOnlySet<string>? Links { get; init; }

    /// <summary>Seed of every random draw (lamp lifetimes, ages, meter readings) and of the noise.</summary>
    public int Seed { get; init; } = 1;

    public PhysicsSettings Physics { get; init; } = new();

    /// <summary>RTU link id → the simulator's end of the serial line (a pseudo-terminal). Unmapped links use the site's path with <c>-gw</c> replaced by <c>-sim</c> (or <c>.sim</c> appended).</summary>
    public IReadOnlyDictionary<string, string> SerialPaths { get; init; } = new Dictionary<string, string>();

    /// <summary>TCP link id → where to listen instead of the site's host and port.</summary>
    public IReadOnlyDictionary<string, (string Host, int Port)> TcpEndpoints { get; init; } = new Dictionary<string, (string, int)>();

    /// <summary>Whether RTU answers wait for the line time of request and answer at the link's baud rate (see <see cref="WireTiming"/>).</summary>
    public bool WireTiming { get; init; } = true;

    /// <summary>Faults and commands to play at given offsets from the start.</summary>
    public Scenario? Scenario { get; init; }

    /// <summary>The simulator's end of an RTU link whose gateway end is <paramref name="gatewayPath"/>, when none is configured.</summary>
    public static string DefaultSimulatorPath(string gatewayPath)
    {
        ArgumentNullException.ThrowIfNull(gatewayPath);
        return gatewayPath.EndsWith("-gw", StringComparison.Ordinal) ? gatewayPath[..^3] + "-sim" : gatewayPath + ".sim";
    }
}
