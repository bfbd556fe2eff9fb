using System.Text.Json.Nodes;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// A rig whose site has automatic emergency tests all day, every unit due (nothing known of its tests), planned every
/// second, and simulated time at 600 times real time so that a 90-minute test takes 9 s. From the simulator's first
/// moment one unit's battery is aged and another's mains is lost, before the gateway plans anything.
/// </summary>
public sealed class AutomaticBatteryTestFixture : IAsyncLifetime
{
    public PlantRig Rig { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scenario = Path.Combine(RepositoryPaths.NewScratchDirectory("eps-scenario"), "scenario.json");
        await File.WriteAllTextAsync(scenario, """
            {"scenario": "automatic-tests", "site": "rig", "events": [
              {"at": "00:00:00", "device": "eps-aged", "fault": "battery_aged", "health": 0.05},
              {"at": "00:00:00", "device": "eps-mains", "fault": "supply_loss"}
            ]}
            """);
        var options = PlantRigOptions.EveryService(
        [
            new PlantDevice("eps-aged", "yd-eps1k", "emergency_battery", true, 1, 1, Crew: "crew-central", Group: "hall-a"),
            new PlantDevice("eps-mains", "yd-eps1k", "emergency_battery", true, 2, 1, Crew: "crew-central", Group: "hall-b"),
        ]);
        Rig = await PlantRig.StartAsync(options with
        {
            EmergencyTests = JsonNode.Parse("""{"enabled": true, "window": {"from": "00:00", "to": "24:00"}, "recharge_h": 0}""")!.AsObject(),
            SimulatorSettings = new Dictionary<string, string>(options.SimulatorSettings)
            {
                ["Simulator:Clock:Speed"] = "600",
                ["Simulator:Scenario"] = scenario,
            },
            GatewaySettings = new Dictionary<string, string>(options.GatewaySettings)
            {
                ["Gateway:BatteryTests:PlanInterval"] = "00:00:01",
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

/// <summary>The gateway's own emergency tests through the whole pipeline: simulator, gateway, Mosquitto, Rules.</summary>
public sealed class AutomaticBatteryTestTests(AutomaticBatteryTestFixture fixture) : IClassFixture<AutomaticBatteryTestFixture>
{
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(60);

    private PlantRig Rig => fixture.Rig;

    [Fact]
    public async Task An_aged_unit_fails_its_automatic_test_and_opens_a_grade2_failed_discharge_ticket()
    {
        var started = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().FirstOrDefault(e => e.Kind == "battery_test_started" && e.Device == "eps-aged")),
            e => e is not null,
            $"the gateway starts a test of eps-aged by itself\n{Rig.Logs()}",
            Pipeline);
        Assert.Equal(("duration", "schedule"), (started!.Attributes!["test"], started.Attributes["trigger"]));

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().FirstOrDefault(e => e.Kind == "battery_test_finished" && e.Device == "eps-aged")),
            e => e is not null,
            $"the automatic test of eps-aged ends\n{Rig.Logs()}",
            Pipeline);
        Assert.Equal(("failed", "schedule"), (finished!.Attributes!["outcome"], finished.Attributes["trigger"]));

        var tickets = await Eventually.ValueAsync(
            () => Rig.TicketsAsync($"asset={Uri.EscapeDataString("rig/gw-rig/eps-aged")}&fault=failed_discharge"),
            t => t.Count > 0,
            $"a failed_discharge ticket on eps-aged\n{Rig.Logs()}",
            Pipeline);
        Assert.Equal(2, Assert.Single(tickets).Grade());

        // Its last test failed: the unit waits for a repair instead of being discharged again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(Rig.Events(), e => e.Kind == "battery_test_started" && e.Device == "eps-aged");
    }

    [Fact]
    public async Task A_unit_without_mains_is_postponed_with_an_event_and_tested_once_the_mains_returns()
    {
        var postponed = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().FirstOrDefault(e => e.Kind == "battery_test_postponed" && e.Device == "eps-mains")),
            e => e is not null,
            $"the test of eps-mains is postponed\n{Rig.Logs()}",
            Pipeline);
        Assert.Equal("mains_absent", postponed!.Attributes!["reason"]);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(Rig.Events(), e => e.Kind == "battery_test_started" && e.Device == "eps-mains");
        Assert.Single(Rig.Events(), e => e.Kind == "battery_test_postponed" && e.Device == "eps-mains");

        // Recorded in the unit's history, on the readings' time axis.
        await Eventually.TrueAsync(
            async () => (await Rig.Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute",
                "SELECT reason FROM events WHERE kind = 'battery_test_postponed' AND device = 'eps-mains'")).StandardOutput.Contains("mains_absent", StringComparison.Ordinal),
            "the postponement in InfluxDB's events measurement",
            Pipeline);

        await Rig.ClearFaultAsync("eps-mains", "supply_loss");

        var started = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().FirstOrDefault(e => e.Kind == "battery_test_started" && e.Device == "eps-mains")),
            e => e is not null,
            $"the postponed test of eps-mains starts\n{Rig.Logs()}",
            Pipeline);
        Assert.Equal("schedule", started!.Attributes!["trigger"]);
        var health = await Rig.Gateway.HealthAsync();
        Assert.Contains("\"mains_absent\": 1", health, StringComparison.Ordinal);
    }
}
