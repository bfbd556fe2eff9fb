using Telemetry.BrokerAccess.CommandLine;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Integration;

public sealed class RotationTests
{
    [Fact]
    public async Task After_a_rotation_the_old_password_is_refused_and_the_new_one_works_without_a_broker_restart()
    {
        await using var broker = await MosquittoServer.StartAsync();
        var pid = broker.ProcessId;
        var old = broker.ClientOptions(Clients.GatewayA);
        await using (var before = await Clients.ConnectAsync(old))
        {
            Assert.Equal(MqttConnectionState.Connected, before.State);
        }

        var sites = Directory.GetFiles(Path.Combine(RepositoryPaths.Hardware, "sites"), "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AccessCommand.RunAsync(
            ["rotate", Clients.GatewayA, "--sites", .. sites, "--state", broker.Access!.Directory, "--extra-principal", $"{MosquittoServer.Harness}:topic readwrite #"],
            output,
            error,
            CancellationToken.None);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("SIGHUP", output.ToString(), StringComparison.Ordinal);

        // The broker rereads its files when it gets to the signal: wait for that, by what a client sees.
        await Eventually.TrueAsync(async () => await RefusedAsync(old), "the old password is refused", explain: () => broker.Log);
        await using var after = await Clients.ConnectAsync(broker.ClientOptions(Clients.GatewayA));
        Assert.Equal(MqttConnectionState.Connected, after.State);
        Assert.Equal(pid, broker.ProcessId);

        await using var observer = await Clients.SubscribedAsync(broker.ClientOptions("observer"), "lighting/demo/gw-demo-01/telemetry");
        Assert.True((await after.PublishAsync("lighting/demo/gw-demo-01/telemetry", "still publishing")).IsSuccess);
        Assert.Equal("still publishing", (await observer.NextAsync()).Text());
    }

    private static async Task<bool> RefusedAsync(MqttClientOptions options)
    {
        await using var client = new MqttClient(options with { ClientId = "probe-" + Guid.NewGuid().ToString("N")[..8] });
        try
        {
            await client.ConnectAsync(Clients.Cancel());
            return false;
        }
        catch (MqttConnectException ex) when (ex.ReasonCode == MqttConnectReasonCode.NotAuthorized)
        {
            return true;
        }
    }
}
