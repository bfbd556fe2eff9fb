using System.Security.Authentication;
using Telemetry.Mqtt.Tests.Support;
using Telemetry.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

public sealed class SecurityTests(SecuredBrokerFixture broker, ITestOutputHelper output) : IClassFixture<SecuredBrokerFixture>
{
    [Fact]
    public async Task Correct_credentials_connect()
    {
        await using var client = await TestClients.ConnectAsync(Credentials("right-password", "alice", "secret"), output);

        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task A_wrong_password_yields_a_typed_authentication_error_distinct_from_network_failures()
    {
        await using var client = TestClients.Create(Credentials("wrong-password", "alice", "wrong"), output);

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(TestClients.Cancel()));

        // Mosquitto 2.0 answers a failed password check with 0x87 Not authorized, not 0x86 (src/handle_connect.c);
        // the fake-server tests show 0x86 BadUserNameOrPassword is surfaced as such by servers that send it.
        Assert.Equal(MqttConnectReasonCode.NotAuthorized, exception.ReasonCode);
        Assert.True(exception.IsAuthenticationFailure);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task An_anonymous_client_is_refused_with_a_typed_reason_code()
    {
        await using var client = TestClients.Create(TestClients.Options(broker.Server, "anonymous"), output);

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(TestClients.Cancel()));

        Assert.NotNull(exception.ReasonCode);
        Assert.True(exception.ReasonCode is MqttConnectReasonCode.NotAuthorized or MqttConnectReasonCode.BadUserNameOrPassword, $"got {exception.ReasonCode}");
    }

    [Fact]
    public async Task Tls_with_the_brokers_self_signed_CA_connects_and_carries_messages()
    {
        var options = Credentials("tls-client", "alice", "secret") with
        {
            Port = broker.Server.TlsPort!.Value,
            Tls = new MqttTlsOptions { CaCertificatePath = broker.Server.CaCertificatePath },
        };
        await using var client = await TestClients.ConnectAsync(options, output);
        await client.SubscribeAsync([new MqttSubscription { TopicFilter = "tls/x" }], TestClients.Cancel());

        await client.PublishAsync(TestClients.Message("tls/x", "secret stuff"), TestClients.Cancel());

        Assert.Equal("secret stuff", (await client.ReceiveAsync()).Text());
    }

    [Fact]
    public async Task Tls_against_an_untrusted_CA_fails_without_a_reason_code()
    {
        var otherCa = await SelfSignedCertificates.CreateAsync(Directory.CreateTempSubdirectory("other-ca").FullName);
        var options = Credentials("tls-untrusted", "alice", "secret") with
        {
            Port = broker.Server.TlsPort!.Value,
            Tls = new MqttTlsOptions { CaCertificatePath = otherCa.CaCertificatePath },
        };
        await using var client = TestClients.Create(options, output);

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(TestClients.Cancel()));

        Assert.Null(exception.ReasonCode);
        Assert.IsType<AuthenticationException>(exception.InnerException);
    }

    [Fact]
    public async Task Tls_without_a_CA_option_uses_the_system_trust_store_and_refuses_a_self_signed_broker()
    {
        var options = Credentials("tls-system-store", "alice", "secret") with { Port = broker.Server.TlsPort!.Value, Tls = new MqttTlsOptions() };
        await using var client = TestClients.Create(options, output);

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(TestClients.Cancel()));

        Assert.IsType<AuthenticationException>(exception.InnerException);
    }

    [Fact]
    public async Task Tls_with_a_wrong_target_host_fails_even_with_the_right_CA()
    {
        var options = Credentials("tls-wrong-host", "alice", "secret") with
        {
            Port = broker.Server.TlsPort!.Value,
            Tls = new MqttTlsOptions { CaCertificatePath = broker.Server.CaCertificatePath, TargetHost = "not-the-broker.example" },
        };
        await using var client = TestClients.Create(options, output);

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(TestClients.Cancel()));

        Assert.IsType<AuthenticationException>(exception.InnerException);
    }

    private MqttClientOptions Credentials(string clientId, string user, string password) =>
        TestClients.Options(broker.Server, clientId) with { Username = user, Password = password };
}
