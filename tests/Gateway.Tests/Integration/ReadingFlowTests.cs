using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

public sealed class ReadingFlowFixture : IAsyncLifetime
{
    internal GatewayRig Rig { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 4, busDevices: 4, interval: 1, busInterval: 1), gatewaySettings: new Dictionary<string, string>
        {
            ["Gateway:FailuresBeforeBackoff"] = "2",
            ["Gateway:MaxBackoff"] = "00:00:10",
        });

    public async Task DisposeAsync() { if (Rig is not null) { await Rig.DisposeAsync(); } }
}

/// <summary>The real gateway polling the simulator over TCP and an RTU bus, publishing to a real Mosquitto.</summary>
public sealed class ReadingFlowTests(ReadingFlowFixture fixture) : IClassFixture<ReadingFlowFixture>
{
    private GatewayRig Rig => fixture.Rig;

    [Fact]
    public async Task Every_device_is_read_and_published_in_batches_with_consecutive_seq_and_circuit_readings()
    {
        var ids = Rig.Devices.Select(d => d.Id).ToHashSet();
        await Eventually.TrueAsync(
            () => Task.FromResult(ids.IsSubsetOf(Rig.Batches().SelectMany(b => b.Readings).Where(r => r.Quality == ReadingQuality.Good).Select(r => r.Device))),
            "a good reading of every device",
            TimeSpan.FromSeconds(40),
            Rig.Logs);

        var batches = Rig.Batches().OrderBy(b => b.Seq).ToList();
        Assert.All(batches, b => Assert.Equal(GatewayRig.GatewayId, b.Gateway));
        Assert.All(batches, b => Assert.Equal(GatewayRig.SiteId, b.Site));
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => batches[0].Seq + i), batches.Select(b => b.Seq));

        // A four-circuit controller sends one reading per circuit, and one for the cabinet.
        var slc = batches.SelectMany(b => b.Readings).Where(r => r.Device == "tcp-002" && r.Quality == ReadingQuality.Good).ToList();
        Assert.Contains(slc, r => r.Circuit is null && r.Values!.ContainsKey("supply_present"));
        Assert.Equal(["1", "2", "3", "4"], slc.Where(r => r.Circuit is not null).Select(r => r.Circuit!).Distinct().Order());
        Assert.All(slc.Where(r => r.Circuit is not null), r => Assert.True(r.Values!.ContainsKey("voltage_l1_v")));
    }

    [Fact]
    public async Task The_retained_state_says_online()
    {
        var state = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Recorder.Messages.LastOrDefault(m => m.Topic == $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/state")),
            m => m is not null,
            "the gateway state");
        var parsed = JsonSerializer.Deserialize(state!.Payload.Span, ContractsJson.Default.GatewayState)!;
        Assert.Equal(GatewayStatus.Online, parsed.State);
    }

    [Fact]
    public async Task A_silent_device_gets_error_readings_and_is_backed_off_while_the_others_on_its_bus_keep_their_interval()
    {
        const string silent = "bus-03";
        const string neighbour = "bus-01";
        await Eventually.TrueAsync(async () => (await Rig.DeviceHealthAsync(silent)).GetProperty("state").GetString() == "ok", "the device answers first", TimeSpan.FromSeconds(30));
        await Rig.InjectFaultAsync(silent, new { fault = "silent" });
        try
        {
            await Eventually.TrueAsync(
                async () => (await Rig.DeviceHealthAsync(silent)).GetProperty("state").GetString() == "backed_off",
                "the silent device is backed off",
                TimeSpan.FromSeconds(30));
            var before = (await Rig.DeviceHealthAsync(neighbour)).GetProperty("polls").GetInt64();
            var triesBefore = (await Rig.DeviceHealthAsync(silent)).GetProperty("polls").GetInt64();
            await Task.Delay(TimeSpan.FromSeconds(8));
            var after = (await Rig.DeviceHealthAsync(neighbour)).GetProperty("polls").GetInt64();
            var silentHealth = await Rig.DeviceHealthAsync(silent);

            // 1 s interval: about 8 polls of the neighbour; the silent device is tried far less often.
            Assert.InRange(after - before, 6, 10);
            Assert.True(silentHealth.GetProperty("polls").GetInt64() - triesBefore <= 3, $"backed off device was tried {silentHealth.GetProperty("polls").GetInt64() - triesBefore} times");
            Assert.True(silentHealth.GetProperty("backed_off_polls").GetInt64() > 0);
            Assert.Equal(0, (await Rig.DeviceHealthAsync(neighbour)).GetProperty("consecutive_failures").GetInt64());

            var errors = Rig.Batches().SelectMany(b => b.Readings).Where(r => r.Device == silent && r.Quality == ReadingQuality.Error).ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, r => Assert.Null(r.Values));
            Assert.Contains(errors, r => r.Error!.Contains("timeout", StringComparison.Ordinal));
            Assert.Contains(errors, r => r.Error!.Contains("backed off", StringComparison.Ordinal));
        }
        finally
        {
            await Rig.ClearFaultsAsync(silent);
        }

        await Eventually.TrueAsync(
            async () => (await Rig.DeviceHealthAsync(silent)).GetProperty("state").GetString() == "ok",
            "the device recovers once it answers again",
            TimeSpan.FromSeconds(30));
    }
}
