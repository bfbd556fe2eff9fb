using System.Text.Json;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Commands;

/// <summary>
/// Command ids and expiry across a stopped gateway: the real gateway process stopped and started again on the same
/// state folder and broker session, the simulator and Mosquitto running throughout.
/// </summary>
public sealed class CommandRestartTests : IAsyncLifetime
{
    private const string Controller = "tcp-002";
    private GatewayRig rig = null!;

    public async Task InitializeAsync() => rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 2, busDevices: 0, interval: 1));

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_command_replayed_after_a_gateway_restart_is_still_refused_and_a_command_queued_while_it_was_offline_past_its_expiry_is_refused_when_it_returns()
    {
        var off = BrokerRecorder.WithEnvelope("""{"action":"switch","circuit":2,"on":false}""");
        Assert.Equal("done", Result(await CommandAsIsAsync(off)));
        Assert.Equal("done", Result(await rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":2,"on":true}""")));

        await rig.Gateway.StopAsync();

        // Queued by the broker in the gateway's session while it is away, with a lifetime shorter than the absence.
        var issued = DateTimeOffset.UtcNow;
        var shortLived = BrokerRecorder.WithEnvelope("""{"action":"switch","circuit":2,"on":false}""", TimeSpan.FromSeconds(2), issued);
        var shortLivedAnswer = await rig.Recorder.PublishCommandAsync(Controller, shortLived, BrokerRecorder.ReplyTopic);
        var replayAnswer = await rig.Recorder.PublishCommandAsync(Controller, off, BrokerRecorder.ReplyTopic);
        while (DateTimeOffset.UtcNow < issued.AddSeconds(3))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        await rig.Gateway.StartAgainAsync();

        var expired = await rig.Recorder.AnswerAsync(shortLivedAnswer, shortLived);
        var replayed = await rig.Recorder.AnswerAsync(replayAnswer, off);
        Assert.Equal("rejected", Result(expired));
        Assert.StartsWith("expired:", expired.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("rejected", Result(replayed));
        Assert.StartsWith("replayed:", replayed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var device = await rig.SimulatedDeviceAsync(Controller);
        Assert.True(device.GetProperty("circuits").GetProperty("2").GetProperty("commanded_on").GetBoolean(), "neither switch-off was written");

        Assert.Equal("done", Result(await rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":2,"on":false}""")));
        Assert.False((await rig.SimulatedDeviceAsync(Controller)).GetProperty("circuits").GetProperty("2").GetProperty("commanded_on").GetBoolean());
    }

    private async Task<JsonElement> CommandAsIsAsync(string payload)
    {
        var correlation = await rig.Recorder.PublishCommandAsync(Controller, payload, BrokerRecorder.ReplyTopic);
        return await rig.Recorder.AnswerAsync(correlation, payload);
    }

    private static string? Result(JsonElement answer) => answer.GetProperty("result").GetString();
}
