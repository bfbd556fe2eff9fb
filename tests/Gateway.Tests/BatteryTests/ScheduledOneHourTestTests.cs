using System.Text.Json.Nodes;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.BatteryTests;

/// <summary>The real gateway runs a due one-hour test by itself, on a simulated unit at 600 times real time.</summary>
public sealed class ScheduledOneHourTestTests
{
    [Fact]
    public async Task A_due_one_hour_test_is_ended_by_the_gateway_after_60_minutes_as_passed_and_counted_on_its_health()
    {
        RigDevice[] devices = [new("eps-1", "yd-eps1k", "emergency_battery", true, 1, 5)];
        await using var rig = await GatewayRig.StartAsync(
            devices,
            gatewaySettings: new Dictionary<string, string>
            {
                ["Gateway:BatteryTests:SampleInterval"] = "00:00:00.250",
                ["Gateway:BatteryTests:PlanInterval"] = "00:00:01",
            },
            simulatorSettings: new Dictionary<string, string> { ["Simulator:Clock:Speed"] = "600", ["Simulator:Tick"] = "00:00:00.050" });
        await rig.InjectFaultAsync("eps-1", new { fault = "battery_aged", health = 1.0 });

        // Stopped, told its unit's history (the one-hour test is the one due), and given automatic tests all day.
        await rig.Gateway.StopAsync();
        var now = DateTimeOffset.UtcNow;
        await File.WriteAllLinesAsync(Path.Combine(rig.StateDirectory, "battery-tests.jsonl"),
        [
            Line("started", "duration", now.AddDays(-200)), Finished("duration", now.AddDays(-200)),
            Line("started", "one_hour", now.AddDays(-190)), Finished("one_hour", now.AddDays(-190)),
            Line("started", "function", now.AddDays(-3)), Finished("function", now.AddDays(-3)),
        ]);
        var site = JsonNode.Parse(rig.SiteJsonFor(devices))!.AsObject();
        site["emergency_tests"] = JsonNode.Parse("""{"window": {"from": "00:00", "to": "24:00"}, "recharge_h": 0}""");
        rig.EditSiteFile(site.ToJsonString());
        await rig.Gateway.StartAgainAsync();

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(rig.Events().FirstOrDefault(e => e.Kind == "battery_test_finished" && e.Device == "eps-1")),
            e => e is not null,
            $"the one-hour test ends\n{rig.Logs()}",
            TimeSpan.FromSeconds(90));

        Assert.Equal(("one_hour", "passed", "schedule"), (finished!.Attributes!["test"], finished.Attributes["outcome"], finished.Attributes["trigger"]));
        Assert.InRange(finished.Values!["runtime_s"].AsDouble(), 3600, 90 * 60);
        using var health = await rig.GatewayHealthAsync();
        Assert.Equal(1, health.RootElement.GetProperty("gateway").GetProperty("battery_tests_scheduled").GetProperty("one_hour").GetInt64());
    }

    private static string Line(string what, string test, DateTimeOffset at) =>
        $$"""{"unit":"eps-1","at":"{{at.UtcDateTime:O}}","what":"{{what}}","test":"{{test}}","trigger":"command"}""";

    private static string Finished(string test, DateTimeOffset at) =>
        $$"""{"unit":"eps-1","at":"{{at.UtcDateTime:O}}","what":"finished","test":"{{test}}","outcome":"passed"}""";
}
