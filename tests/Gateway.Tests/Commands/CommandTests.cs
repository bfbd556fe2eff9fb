using System.Text.Json;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Commands;

public sealed class CommandFixture : IAsyncLifetime
{
    internal GatewayRig Rig { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 4, busDevices: 1, interval: 1, busInterval: 1));

    public async Task DisposeAsync()
    {
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

/// <summary>Commands on the MQTT command topic, answered on the MQTT 5 response topic with the correlation data.</summary>
public sealed class CommandTests(CommandFixture fixture) : IClassFixture<CommandFixture>
{
    private GatewayRig Rig => fixture.Rig;

    [Fact]
    public async Task A_write_to_a_read_only_point_is_rejected_with_a_reason_and_nothing_is_written()
    {
        var before = await LampsInstalledAsync("bus-01");
        var reply = await Rig.Recorder.CommandAsync("bus-01", """{"action":"write","point":"voltage_v","value":230}""");

        Assert.Equal("rejected", reply.GetProperty("result").GetString());
        Assert.Contains("read-only", reply.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await LampsInstalledAsync("bus-01"));
        await AssertRecordedAsync("bus-01", "rejected");
    }

    [Fact]
    public async Task An_out_of_range_value_is_rejected_and_nothing_is_written()
    {
        var before = await LampsInstalledAsync("bus-01");
        var reply = await Rig.Recorder.CommandAsync("bus-01", """{"action":"write","point":"lamps_installed","value":99}""");

        Assert.Equal("rejected", reply.GetProperty("result").GetString());
        Assert.Contains("OutOfRange", reply.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await LampsInstalledAsync("bus-01"));
    }

    [Fact]
    public async Task An_unknown_action_or_device_is_rejected()
    {
        var unknownAction = await Rig.Recorder.CommandAsync("tcp-001", """{"action":"explode"}""");
        var unknownDevice = await Rig.Recorder.CommandAsync("nobody", """{"action":"switch","on":true}""");
        var malformed = await Rig.Recorder.CommandAsync("tcp-001", "not json");

        Assert.Equal("rejected", unknownAction.GetProperty("result").GetString());
        Assert.Equal("rejected", unknownDevice.GetProperty("result").GetString());
        Assert.Equal("rejected", malformed.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Switching_a_circuit_off_is_written_to_the_device()
    {
        var reply = await Rig.Recorder.CommandAsync("tcp-002", """{"action":"switch","circuit":2,"on":false,"id":"c-1"}""");

        Assert.Equal("done", reply.GetProperty("result").GetString());
        Assert.Equal("c-1", reply.GetProperty("id").GetString());
        var device = await Rig.SimulatedDeviceAsync("tcp-002");
        Assert.False(device.GetProperty("circuits").GetProperty("2").GetProperty("commanded_on").GetBoolean());
        await AssertRecordedAsync("tcp-002", "done");
    }

    [Fact]
    public async Task Setting_a_controller_clock_is_done()
    {
        var reply = await Rig.Recorder.CommandAsync("tcp-004", """{"action":"set_clock","time":"2030-01-02T03:04:05.000Z"}""");

        Assert.Equal("done", reply.GetProperty("result").GetString());
    }

    private async Task<long> LampsInstalledAsync(string device) =>
        (await Rig.SimulatedDeviceAsync(device)).GetProperty("values").GetProperty("lamps_installed").GetInt64();

    private Task AssertRecordedAsync(string device, string result) =>
        Eventually.TrueAsync(
            () => Task.FromResult(Rig.Events().Any(e => e.Kind == "command_result" && e.Device == device && e.Attributes?["result"] == result)),
            $"a command_result event {result} for {device}");
}
