using System.Text.Json;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Commands;

public sealed class CommandRefusalFixture : IAsyncLifetime
{
    internal GatewayRig Rig { get; private set; } = null!;

    // tcp-001 hg-lcu2, tcp-002 mg-slc4 (coil per circuit), bus-01 jg-hmc24 (a mast with a lift), bus-02 yd-eps1k (a battery unit).
    public async Task InitializeAsync() =>
        Rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 2, busDevices: 2, interval: 1, busInterval: 1));

    public async Task DisposeAsync()
    {
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

/// <summary>
/// Commands the gateway refuses before anything is written, on the real gateway, simulator and Mosquitto: each is
/// answered (unless its response topic is foreign), counted by reason, and the next valid command is carried out.
/// </summary>
public sealed class CommandRefusalTests(CommandRefusalFixture fixture) : IClassFixture<CommandRefusalFixture>
{
    private const string Controller = "tcp-002";
    private const string Mast = "bus-01";
    private const string Battery = "bus-02";

    private GatewayRig Rig => fixture.Rig;

    [Fact]
    public async Task A_command_replayed_with_the_same_id_is_refused_and_the_device_is_not_written()
    {
        var off = BrokerRecorder.WithEnvelope("""{"action":"switch","circuit":3,"on":false}""");
        Assert.Equal("done", Result(await CommandAsIsAsync(Controller, off)));
        Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":3,"on":true}""")));

        var replay = await CommandAsIsAsync(Controller, off);

        Assert.Equal("rejected", Result(replay));
        Assert.StartsWith("replayed:", replay.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(await CommandedOnAsync(Controller, 3), "the replayed switch-off was not written");
        Assert.True(await RefusalsAsync("replayed") >= 1);
        await AssertEventAsync(JsonDocument.Parse(off).RootElement.GetProperty("id").GetString()!, "rejected", "replayed");
    }

    [Fact]
    public async Task A_command_past_its_expiry_is_refused_and_the_next_valid_one_is_done()
    {
        Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":4,"on":true}""")));
        var expired = BrokerRecorder.WithEnvelope("""{"action":"switch","circuit":4,"on":false}""", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddMinutes(-2));

        var refused = await CommandAsIsAsync(Controller, expired);

        Assert.Equal("rejected", Result(refused));
        Assert.StartsWith("expired:", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(await CommandedOnAsync(Controller, 4), "the expired switch-off was not written");
        Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":4,"on":false}""")));
        Assert.False(await CommandedOnAsync(Controller, 4));
    }

    [Theory]
    [InlineData("""{"action":"switch","circuit":1,"on":true}""", "'id' is missing")]
    [InlineData("""{"id":"c-no-times","issuer":"someone","action":"switch","circuit":1,"on":true}""", "'issued' is missing")]
    public async Task A_command_without_its_envelope_is_refused_naming_the_missing_field(string payload, string expected)
    {
        var refused = await CommandAsIsAsync(Controller, payload);

        Assert.Equal("rejected", Result(refused));
        Assert.StartsWith("invalid_envelope:", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(expected, refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":1,"on":true}""")));
    }

    [Fact]
    public async Task A_command_with_a_foreign_response_topic_is_refused_and_nothing_is_published_there()
    {
        var payload = BrokerRecorder.WithEnvelope("""{"action":"switch","circuit":2,"on":false}""");
        var id = JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString()!;
        Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Controller, """{"action":"switch","circuit":2,"on":true}""")));

        await Rig.Recorder.PublishCommandAsync(Controller, payload, "elsewhere/answers");
        await AssertEventAsync(id, "rejected", "foreign_reply_topic");

        // The gateway takes commands in order: once the next one is answered, an answer to the foreign one would have come.
        Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Controller, """{"action":"resume_schedule"}""")));
        Assert.DoesNotContain(Rig.Recorder.Messages, m => m.Topic.StartsWith("elsewhere/", StringComparison.Ordinal));
        Assert.True(await RefusalsAsync("foreign_reply_topic") >= 1);
    }

    [Fact]
    public async Task A_raw_write_of_the_battery_units_test_command_is_refused_and_its_test_action_starts_a_test_with_the_mains_present()
    {
        var raw = await Rig.Recorder.CommandAsync(Battery, """{"action":"write","point":"test_command","value":"start_function_test"}""");

        Assert.Equal("rejected", Result(raw));
        Assert.StartsWith("dedicated_point:", raw.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await ValuesAsync(Battery)).GetProperty("test_state").GetInt64());

        Assert.True((await ValuesAsync(Battery)).GetProperty("mains_present").GetBoolean(), "the mains is present");
        var started = await Rig.Recorder.CommandAsync(Battery, """{"action":"start_function_test"}""");

        Assert.Equal("done", Result(started));
        await Eventually.TrueAsync(async () => (await ValuesAsync(Battery)).GetProperty("test_state").GetInt64() == 1, "the simulated unit runs a function test");
    }

    [Fact]
    public async Task A_raw_write_of_a_lift_coil_is_refused_a_lift_with_the_key_off_is_refused_and_with_the_key_on_it_moves()
    {
        var raw = await Rig.Recorder.CommandAsync(Mast, """{"action":"write","point":"lift_up","value":true}""");
        Assert.Equal("rejected", Result(raw));
        Assert.StartsWith("dedicated_point:", raw.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var keyOff = await Rig.Recorder.CommandAsync(Mast, """{"action":"lift","direction":"down"}""");
        Assert.Equal("rejected", Result(keyOff));
        Assert.Contains("maintenance key is off", keyOff.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var still = await ValuesAsync(Mast);
        Assert.False(still.GetProperty("lift_up").GetBoolean());
        Assert.False(still.GetProperty("lift_down").GetBoolean());

        await Rig.InjectFaultAsync(Mast, new { fault = "maintenance_key" });
        try
        {
            Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Mast, """{"action":"lift","direction":"down"}""")));
            var moving = await ValuesAsync(Mast);
            Assert.True(moving.GetProperty("lift_down").GetBoolean());
            Assert.False(moving.GetProperty("lift_up").GetBoolean());
            await Eventually.TrueAsync(async () => (await ValuesAsync(Mast)).GetProperty("lift_motor_state").GetInt64() == 2, "the simulated ring is lowering");

            Assert.Equal("done", Result(await Rig.Recorder.CommandAsync(Mast, """{"action":"lift","direction":"stop"}""")));
            var stopped = await ValuesAsync(Mast);
            Assert.False(stopped.GetProperty("lift_up").GetBoolean());
            Assert.False(stopped.GetProperty("lift_down").GetBoolean());
        }
        finally
        {
            await Rig.ClearFaultsAsync(Mast);
        }

        Assert.True(await RefusalsAsync("dedicated_point") >= 1);
        Assert.True(await RefusalsAsync("not_possible") >= 1);
    }

    private async Task<JsonElement> CommandAsIsAsync(string device, string payload)
    {
        var correlation = await Rig.Recorder.PublishCommandAsync(device, payload, BrokerRecorder.ReplyTopic);
        return await Rig.Recorder.AnswerAsync(correlation, payload);
    }

    private static string? Result(JsonElement answer) => answer.GetProperty("result").GetString();

    private async Task<bool> CommandedOnAsync(string device, int circuit) =>
        (await Rig.SimulatedDeviceAsync(device)).GetProperty("circuits").GetProperty(circuit.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("commanded_on").GetBoolean();

    private async Task<JsonElement> ValuesAsync(string device) => (await Rig.SimulatedDeviceAsync(device)).GetProperty("values");

    private async Task<long> RefusalsAsync(string code)
    {
        using var health = await Rig.GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("command_refusals").TryGetProperty(code, out var count) ? count.GetInt64() : 0;
    }

    private Task AssertEventAsync(string id, string result, string refusal) =>
        Eventually.TrueAsync(
            () => Task.FromResult(Rig.Events().Any(e => e.Kind == "command_result" && e.Attributes is { } a
                && a.GetValueOrDefault("command_id") == id && a["result"] == result && a.GetValueOrDefault("refusal") == refusal && a.GetValueOrDefault("issuer") == "rig.tests")),
            $"a command_result event {result} ({refusal}) for command {id}");
}
