using System.Security.Authentication;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Integration;

/// <summary>The TLS listener with <c>require_certificate true</c>: both ends prove themselves with the stack's CA.</summary>
public sealed class TlsListenerTests(ClosedBrokerFixture fixture) : IClassFixture<ClosedBrokerFixture>, IDisposable
{
    private readonly string _otherCaDirectory = RepositoryPaths.NewScratchDirectory("other-ca");

    private MosquittoServer Broker => fixture.Broker;

    [Fact]
    public async Task A_client_with_a_certificate_from_the_stacks_CA_connects_and_carries_messages()
    {
        await using var observer = await Clients.SubscribedAsync(await Broker.TlsClientOptionsAsync("observer"), "lighting/demo/gw-demo-01/telemetry");
        await using var gateway = await Clients.ConnectAsync(await Broker.TlsClientOptionsAsync(Clients.GatewayA));

        Assert.True((await gateway.PublishAsync("lighting/demo/gw-demo-01/telemetry", "over tls")).IsSuccess);

        Assert.Equal("over tls", (await observer.NextAsync()).Text());
    }

    [Fact]
    public async Task A_client_whose_certificate_comes_from_another_CA_is_refused()
    {
        var otherCa = await SelfSignedCertificates.CreateAsync(_otherCaDirectory);
        var (certificate, key) = await otherCa.ClientCertificateAsync(Clients.GatewayA);
        var options = await Broker.TlsClientOptionsAsync(Clients.GatewayA);
        await using var stranger = new MqttClient(options with { ClientId = "stranger", Tls = options.Tls! with { ClientCertificatePath = certificate, ClientKeyPath = key } });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => stranger.ConnectAsync(Clients.Cancel()));

        Assert.Null(refused.ReasonCode);
        await using var genuine = await Clients.ConnectAsync(options);
        Assert.Equal(MqttConnectionState.Connected, genuine.State);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        var options = await Broker.TlsClientOptionsAsync(Clients.GatewayA);
        await using var bare = new MqttClient(options with { ClientId = "bare", Tls = new MqttTlsOptions { CaCertificatePath = Broker.CaCertificatePath } });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => bare.ConnectAsync(Clients.Cancel()));

        Assert.Null(refused.ReasonCode);
        await using var genuine = await Clients.ConnectAsync(options);
        Assert.Equal(MqttConnectionState.Connected, genuine.State);
    }

    [Fact]
    public async Task A_client_that_trusts_another_CA_refuses_the_server()
    {
        var otherCa = await SelfSignedCertificates.CreateAsync(_otherCaDirectory);
        var options = await Broker.TlsClientOptionsAsync(Clients.GatewayA);
        await using var wary = new MqttClient(options with { ClientId = "wary", Tls = options.Tls! with { CaCertificatePath = otherCa.CaCertificatePath } });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => wary.ConnectAsync(Clients.Cancel()));

        Assert.IsType<AuthenticationException>(refused.InnerException);
        await using var genuine = await Clients.ConnectAsync(options);
        Assert.Equal(MqttConnectionState.Connected, genuine.State);
    }

    [Fact]
    public async Task A_valid_certificate_does_not_replace_the_password()
    {
        var options = await Broker.TlsClientOptionsAsync(Clients.GatewayA);
        await using var impostor = new MqttClient(options with { ClientId = "impostor-tls", Password = "wrong" });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => impostor.ConnectAsync(Clients.Cancel()));

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        await using var genuine = await Clients.ConnectAsync(options);
        Assert.Equal(MqttConnectionState.Connected, genuine.State);
    }

    public void Dispose() => Directory.Delete(_otherCaDirectory, recursive: true);
}
