using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Simulator.Physics;
using Telemetry.Simulator.Serving;
using Telemetry.Testing;

namespace Telemetry.Simulator.Tests;

/// <summary>The shipped sites and profiles, and simulations of them driven by a fake clock.</summary>
internal static class TestPlant
{
    public static readonly ProfileCatalog Profiles = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"));

    /// <summary>Every profile once: sc-1 (hg-lcu2), sc-2 (mg-slc4), box-1, ltc-1 (sk-ltc4) on TCP; mast-1, eps-1, ltc-2 (kg-316m) on RS-485.</summary>
    public static readonly Site Small = LoadSite("test-small.json");

    public static readonly Site Demo = LoadSite("demo.json");

    /// <summary>22:00 in Shanghai, late November: dark, lighting on by schedule.</summary>
    public static readonly DateTimeOffset Night = new(2026, 11, 22, 14, 0, 0, TimeSpan.Zero);

    /// <summary>12:00 in Shanghai: bright, lighting off by schedule.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

    public static Site LoadSite(string file) => SiteLoader.LoadFile(Path.Combine(RepositoryPaths.Hardware, "sites", file), Profiles);

    /// <summary>A simulation of <paramref name="site"/> (test-small by default) on a fake clock; nothing is served until started.</summary>
    public static Simulation Create(FakeTimeProvider clock, SimulationOptions? options = null, Site? site = null) =>
        new(site ?? Small, options ?? new SimulationOptions { WireTiming = false }, clock, NullLogger<Simulation>.Instance);

    public static FakeTimeProvider Clock(DateTimeOffset? start = null) => new(start ?? Night);

    /// <summary>Physics settings with lamps that fail within hours, for tests of lamp failures.</summary>
    public static PhysicsSettings FragileLamps => new() { LampMtbfHours = 5 };

    public static PointValue Value(this Simulation simulation, string device, string name, int? circuit = null)
    {
        var snapshot = simulation.Snapshot(device) ?? throw new ArgumentException($"no device {device}", nameof(device));
        var level = circuit is { } c ? snapshot.Circuits[c.ToString(System.Globalization.CultureInfo.InvariantCulture)] : snapshot.Values;
        return level.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{device} has no value {name} (circuit {circuit})", nameof(name));
    }

    public static double Number(this Simulation simulation, string device, string name, int? circuit = null) =>
        simulation.Value(device, name, circuit).AsReal;

    public static bool Flag(this Simulation simulation, string device, string name, int? circuit = null) =>
        simulation.Value(device, name, circuit).AsBoolean;

    /// <summary>Advances the fake clock and the plant.</summary>
    public static void Run(this Simulation simulation, FakeTimeProvider clock, TimeSpan duration, TimeSpan? step = null)
    {
        var left = duration;
        var stride = step ?? duration;
        while (left > TimeSpan.Zero)
        {
            var next = left < stride ? left : stride;
            clock.Advance(next);
            simulation.Update();
            left -= next;
        }
    }
}
