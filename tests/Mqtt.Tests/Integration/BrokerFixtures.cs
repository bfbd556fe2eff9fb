using Telemetry.Testing;
using Xunit;

namespace Telemetry.Mqtt.Tests.Integration;

/// <summary>One real Mosquitto per test class, on free loopback ports.</summary>
public abstract class BrokerFixture : IAsyncLifetime
{
    public MosquittoServer Server { get; private set; } = null!;

    // The client library is tested against a bare broker: these tests are about the protocol, not the product's access.
    protected virtual MosquittoOptions Options => new() { Anonymous = true };

    public async Task InitializeAsync() => Server = await MosquittoServer.StartAsync(Options);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class PlainBrokerFixture : BrokerFixture;

public sealed class SecuredBrokerFixture : BrokerFixture
{
    protected override MosquittoOptions Options => new() { Users = { ["alice"] = "secret" }, Tls = true };
}

public sealed class LimitedInflightBrokerFixture : BrokerFixture
{
    public const int MaxInflight = 5;

    protected override MosquittoOptions Options => new() { Anonymous = true, ExtraConfiguration = { $"max_inflight_messages {MaxInflight}" } };
}
