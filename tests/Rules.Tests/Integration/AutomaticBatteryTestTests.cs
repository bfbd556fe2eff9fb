using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Contracts;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// A rig whose site has automatic emergency tests all day, every unit due (nothing known of its tests), planned every
/// second, and simulated time at 600 times real time so that a 90-minute test takes 9 s; Rules plans a year of work. From the simulator's first
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

            // A year ahead, so that this year's full discharge work order is open whatever the day.
            RulesSettings = new Dictionary<string, string>(options.RulesSettings)
            {
                ["Rules:WorkOrderHorizon"] = "366.00:00:00",
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
    public async Task The_automatic_test_completes_the_units_open_full_discharge_work_order_once_even_when_its_event_comes_again()
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(Rig.DatabasePath));
        await Eventually.TrueAsync(
            async () => await store.ScheduledThroughAsync(PlantRig.SiteId, CancellationToken.None) is not null,
            $"Rules schedules the site's planned work\n{Rig.Logs()}",
            Pipeline);
        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Recorder.Messages.FirstOrDefault(m => m.Topic.EndsWith("/event", StringComparison.Ordinal)
                && JsonSerializer.Deserialize(m.Payload.Span, ContractsJson.Default.GatewayEvent) is { Kind: "battery_test_finished", Device: "eps-aged" })),
            m => m is not null,
            $"the automatic test of eps-aged ends\n{Rig.Logs()}",
            Pipeline);
        var reported = JsonSerializer.Deserialize(finished!.Payload.Span, ContractsJson.Default.GatewayEvent)!;

        // Delivered again, twice, as the broker does after a consumer's crash; then a message that is dead-lettered, which
        // Rules takes only once it has handled the two before it.
        var marker = $"marker-{Guid.NewGuid():N}";
        await PublishEventAsync(finished.Payload.ToArray());
        await PublishEventAsync(finished.Payload.ToArray());
        await PublishEventAsync(Encoding.UTF8.GetBytes($"not json {marker}"));
        await Eventually.TrueAsync(
            () => Task.FromResult(DeadLetters().Any(l => l.Contains(marker, StringComparison.Ordinal))),
            $"Rules handles the events sent again\n{Rig.Logs()}",
            Pipeline);

        var orders = await store.ListAsync(
            new WorkOrderQuery { AssetKey = "rig/gw-rig/eps-aged", Task = MaintenanceTask.EmergencyFullDischarge, Limit = WorkOrderQuery.MaxLimit }, CancellationToken.None);
        var done = Assert.Single(orders, o => o.Status == WorkOrderStatus.Done);
        Assert.Equal(("gw-rig", "duration", "failed", "schedule"), (done.DoneBy, done.GatewayTest!.Test, done.GatewayTest.Outcome, done.GatewayTest.Trigger));
        Assert.Equal(reported.Ts, done.DoneAt);
        Assert.Equal(reported.Ts, done.GatewayTest.FinishedAt);
        Assert.Equal(new ChecklistItem("ran_rated_duration", false), done.Checklist[0]);
        Assert.Null(done.Checklist.Single(i => i.Code == "recharging").Passed);
        Assert.True(done.Readings["runtime_min"] < 90, $"ran {done.Readings["runtime_min"]} min");

        // Saved once: a work order is stored at version 1 and each change adds one.
        Assert.Equal(2, done.Version);
        Assert.All(orders.Where(o => o != done), o => Assert.Equal(WorkOrderStatus.Planned, o.Status));

        // The failure is the ticket's, counted once.
        var tickets = await Rig.TicketsAsync($"asset={Uri.EscapeDataString("rig/gw-rig/eps-aged")}&fault=failed_discharge");
        Assert.Single(tickets);
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

    private Task PublishEventAsync(byte[] payload) =>
        ExternalCommand.RunAsync("mosquitto_pub", [.. Rig.Broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-i", "field-event", "-t", "lighting/rig/gw-rig/event", "-m", Encoding.UTF8.GetString(payload)])
            .ContinueWith(t => t.Result.EnsureSuccess("mosquitto_pub"), TaskScheduler.Default);

    private IEnumerable<string> DeadLetters()
    {
        var directory = Path.Combine(Rig.Directory, "deadletters");
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "rules-*").SelectMany(File.ReadAllLines) : [];
    }
}
