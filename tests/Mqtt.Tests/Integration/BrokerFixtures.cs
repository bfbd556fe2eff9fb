using Telemetry.Testing;
using Xunit;

namespace Telemetry.Mqtt.Tests.Integration;

/// <summary>One real Mosquitto per test class, on free loopback ports.</summary>
public abstract class BrokerFixture : IAsyncLifetime
{
    public MosquittoServer Server { get; private set; } = null!;

    protected virtual MosquittoOptions Options => new();

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

    protected override MosquittoOptions Options => new() { ExtraConfiguration = { $"max_inflight_messages {MaxInflight}" } };
}
