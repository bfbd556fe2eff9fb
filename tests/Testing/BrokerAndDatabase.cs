using Xunit;

namespace Telemetry.Testing;

/// <summary>A real Mosquitto and a real influxd for one test class (use as an xunit class fixture).</summary>
public sealed class BrokerAndDatabase : IAsyncLifetime
{
    public MosquittoServer Broker { get; private set; } = null!;

    public InfluxServer Influx { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoServer.StartAsync();
        Influx = await InfluxServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Influx.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
