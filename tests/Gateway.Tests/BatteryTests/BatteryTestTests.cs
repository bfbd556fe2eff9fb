using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.BatteryTests;

public sealed class BatteryFixture : IAsyncLifetime
{
    internal GatewayRig Rig { get; private set; } = null!;

    // Three emergency units on the bus; the simulated clock runs 600 times real time, so 90 minutes take 9 s.
    public async Task InitializeAsync() =>
        Rig = await GatewayRig.StartAsync(
            [
                new RigDevice("eps-aged", "yd-eps1k", "emergency_battery", true, 1, 5),
                new RigDevice("eps-new", "yd-eps1k", "emergency_battery", true, 2, 5),
                new RigDevice("eps-hour", "yd-eps1k", "emergency_battery", true, 3, 5),
            ],
            gatewaySettings: new Dictionary<string, string> { ["Gateway:BatteryTests:SampleInterval"] = "00:00:00.250" },
            simulatorSettings: new Dictionary<string, string> { ["Simulator:Clock:Speed"] = "600", ["Simulator:Tick"] = "00:00:00.050" });

    public async Task DisposeAsync()
    {
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

/// <summary>Duration tests run by the gateway on simulated emergency units.</summary>
public sealed class BatteryTestTests(BatteryFixture fixture) : IClassFixture<BatteryFixture>
{
    private GatewayRig Rig => fixture.Rig;

    [Fact]
    public async Task A_duration_test_on_an_aged_battery_fails_with_the_runtime_it_reached_and_on_a_new_one_passes()
    {
        await Rig.InjectFaultAsync("eps-aged", new { fault = "battery_aged", health = 0.4 });
        await Rig.InjectFaultAsync("eps-new", new { fault = "battery_aged", health = 1.0 });

        var aged = await Rig.Recorder.CommandAsync("eps-aged", """{"action":"start_duration_test"}""");
        var healthy = await Rig.Recorder.CommandAsync("eps-new", """{"action":"start_duration_test"}""");
        Assert.Equal("done", aged.GetProperty("result").GetString());
        Assert.Equal("done", healthy.GetProperty("result").GetString());

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().Where(e => e.Kind == "battery_test_finished" && e.Device is "eps-aged" or "eps-new").ToList()),
            events => events.Count >= 2,
            "both tests finish",
            TimeSpan.FromSeconds(90));

        var agedResult = finished.Single(e => e.Device == "eps-aged");
        var newResult = finished.Single(e => e.Device == "eps-new");
        Assert.Equal("failed", agedResult.Attributes!["outcome"]);
        Assert.Equal("duration", agedResult.Attributes["test"]);
        var runtime = agedResult.Values!["runtime_s"].AsDouble();
        Assert.InRange(runtime, 60, (90 * 60) - 1);
        Assert.True(agedResult.Values["samples"].AsInteger() >= 2, "the discharge curve has samples");
        Assert.True(agedResult.Values.ContainsKey("curve_000_v"));

        Assert.Equal("passed", newResult.Attributes!["outcome"]);
        Assert.True(newResult.Values!["runtime_s"].AsDouble() >= 90 * 60);
    }

    [Fact]
    public async Task A_one_hour_test_by_command_is_ended_by_the_gateway_after_60_minutes_as_passed()
    {
        await Rig.InjectFaultAsync("eps-hour", new { fault = "battery_aged", health = 1.0 });

        var reply = await Rig.Recorder.CommandAsync("eps-hour", """{"action":"start_one_hour_test"}""");
        Assert.Equal("done", reply.GetProperty("result").GetString());

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().FirstOrDefault(e => e.Kind == "battery_test_finished" && e.Device == "eps-hour")),
            e => e is not null,
            "the one-hour test ends",
            TimeSpan.FromSeconds(90));

        Assert.Equal(("one_hour", "passed", "command"), (finished!.Attributes!["test"], finished.Attributes["outcome"], finished.Attributes["trigger"]));
        Assert.InRange(finished.Values!["runtime_s"].AsDouble(), 3600, 90 * 60 - 1);
    }

    [Fact]
    public async Task A_test_cannot_start_while_the_mains_is_lost()
    {
        await Rig.InjectFaultAsync("eps-new", new { fault = "supply_loss" });
        try
        {
            await Eventually.TrueAsync(
                () => Task.FromResult(Rig.Batches().SelectMany(b => b.Readings).Any(r => r.Device == "eps-new" && r.Values?["mains_present"].AsBoolean() == false)),
                "the gateway sees the mains lost",
                TimeSpan.FromSeconds(30));
            var reply = await Rig.Recorder.CommandAsync("eps-new", """{"action":"start_function_test"}""");

            Assert.Equal("rejected", reply.GetProperty("result").GetString());
            Assert.Contains("mains", reply.GetProperty("reason").GetString(), StringComparison.Ordinal);
            await Eventually.TrueAsync(
                () => Task.FromResult(Rig.Events().Any(e => e.Kind == "battery_test_finished" && e.Device == "eps-new" && e.Attributes?["outcome"] == "not_started")),
                "a not_started event");
        }
        finally
        {
            await Rig.ClearFaultsAsync("eps-new");
        }
    }
}
