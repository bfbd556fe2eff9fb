using System.Globalization;
using Telemetry.Simulator.Clock;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator;

/// <summary>The <c>Simulator</c> configuration section (appsettings.json, <c>Simulator__Key</c> variables, <c>--Simulator:Key value</c> or the short switches).</summary>
public sealed class SimulatorSettings
{
    /// <summary>Short command-line switches for the usual settings.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--site"] = "Simulator:Site",
        ["--gateway"] = "Simulator:Gateway",
        ["--links"] = "Simulator:Links",
        ["--profiles"] = "Simulator:Profiles",
        ["--scenario"] = "Simulator:Scenario",
        ["--seed"] = "Simulator:Seed",
        ["--clock"] = "Simulator:Clock:Mode",
        ["--speed"] = "Simulator:Clock:Speed",
        ["--start"] = "Simulator:Clock:Start",
        ["--wire-timing"] = "Simulator:WireTiming",
    };

    /// <summary>The site file to play (required). Relative paths here resolve against the current folder.</summary>
    public string? Site { get; set; }

    /// <summary>Play only this gateway's devices; all gateways' when empty.</summary>
    public string? Gateway { get; set; }

    /// <summary>Serve only these links (comma-separated ids); every link of the site when empty.</summary>
    public string? Links { get; set; }

    /// <summary>The profiles folder; by default <c>../profiles</c> beside the site file's folder.</summary>
    public string? Profiles { get; set; }

    /// <summary>A scenario file to play from the start, if any.</summary>
    public string? Scenario { get; set; }

    public int Seed { get; set; } = 1;

    public ClockSettings Clock { get; set; } = new();

    /// <summary>RTU link id → the simulator's end of the pseudo-terminal pair.</summary>
    public Dictionary<string, string> Serial { get; set; } = [];

    /// <summary>TCP link id → <c>port</c> or <c>host:port</c> to listen on instead of the site's.</summary>
    public Dictionary<string, string> Tcp { get; set; } = [];

    /// <summary>Whether RTU answers are paced at the line's baud rate.</summary>
    public bool WireTiming { get; set; } = true;

    /// <summary>How often (real time) the plant is advanced and the registers refreshed.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(200);

    public PhysicsSettings Physics { get; set; } = new();

    public string SitePath => Path.GetFullPath(Site ?? "");

    public string ProfilesPath => Path.GetFullPath(Profiles ?? Path.Combine(Path.GetDirectoryName(SitePath)!, "..", "profiles"));

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Site))
        {
            yield return "Simulator:Site must name a site file (e.g. --site hardware/sites/demo.json)";
        }
        else if (!File.Exists(SitePath))
        {
            yield return $"Simulator:Site '{SitePath}' does not exist";
        }
        else if (!Directory.Exists(ProfilesPath))
        {
            yield return $"Simulator:Profiles '{ProfilesPath}' is not a folder";
        }

        if (Scenario is not null && !File.Exists(Path.GetFullPath(Scenario)))
        {
            yield return $"Simulator:Scenario '{Path.GetFullPath(Scenario)}' does not exist";
        }

        if (!(Clock.Speed > 0) || Clock.Speed > 100_000)
        {
            yield return $"Simulator:Clock:Speed {Clock.Speed.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most 100000";
        }

        if (Tick < TimeSpan.FromMilliseconds(10) || Tick > TimeSpan.FromSeconds(10))
        {
            yield return $"Simulator:Tick {Tick} must be 10 ms to 10 s";
        }

        foreach (var (link, value) in Tcp)
        {
            if (ParseEndpoint(value) is null)
            {
                yield return $"Simulator:Tcp:{link} '{value}' must be a port or host:port";
            }
        }

        foreach (var problem in Physics.Validate())
        {
            yield return problem;
        }
    }

    public static (string? Host, int Port)? ParseEndpoint(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.LastIndexOf(':');
        var host = colon < 0 ? null : value[..colon];
        var portText = colon < 0 ? value : value[(colon + 1)..];
        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535 && host is null or { Length: > 0 }
            ? (host, port)
            : null;
    }
}

/// <summary>The <c>Simulator:Clock</c> section.</summary>
public sealed class ClockSettings
{
    /// <summary><c>Scaled</c> (real time × speed) or <c>Manual</c> (moves only through the control API).</summary>
    public ClockMode Mode { get; set; } = ClockMode.Scaled;

    public double Speed { get; set; } = 1;

    /// <summary>Simulated time at start; now by default. Keep the default when a gateway compares controller clocks with its own.</summary>
    public DateTimeOffset? Start { get; set; }
}
