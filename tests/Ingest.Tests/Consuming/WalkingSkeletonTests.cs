using System.Globalization;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>A reading published by a peer nobody here wrote reaches InfluxDB through the real Ingest process.</summary>
public sealed class WalkingSkeletonTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>, IAsyncLifetime
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;
    private ServiceProcess _ingest = null!;

    public async Task InitializeAsync() => _ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-skeleton");

    public async Task DisposeAsync() => await _ingest.DisposeAsync();

    [Fact]
    public async Task Reading_published_with_mosquitto_pub_is_found_with_the_influx_cli()
    {
        const string batch = """
            {"v":1,"gateway":"gw-north-01","site":"north","seq":1842,"sent":"2026-11-22T19:00:05.120Z",
             "readings":[
              {"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","quality":"good",
               "values":{"lamps_installed":12,"lamps_lit":7,"commanded_on":true,"voltage_v":229,"current_a":18.2}},
              {"device":"box-03","family":"distribution_box","ts":"2026-11-22T19:00:04.990Z","quality":"error",
               "error":"modbus timeout"}]}
            """;

        (await ExternalCommand.RunAsync("mosquitto_pub", [.. _broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-t", "lighting/north/gw-north-01/telemetry", "-m", batch]))
            .EnsureSuccess("mosquitto_pub");

        var mast = await Eventually.ValueAsync(
            async () => (await _influx.RunCliAsync("-database", "telemetry", "-format", "csv", "-precision", "ms", "-execute",
                "SELECT lamps_installed, lamps_lit, commanded_on, voltage_v, current_a FROM high_mast WHERE site = 'north' AND gateway = 'gw-north-01' AND device = 'mast-07'")).StandardOutput,
            output => output.Contains("mast-07", StringComparison.Ordinal) || output.Contains("high_mast", StringComparison.Ordinal),
            "the mast's reading is in InfluxDB");
        Assert.Contains("high_mast,1795374004981,12,7,true,229,18.2", mast, StringComparison.Ordinal);

        var box = (await _influx.RunCliAsync("-database", "telemetry", "-format", "csv", "-precision", "ms", "-execute",
            "SELECT quality, error FROM distribution_box WHERE device = 'box-03'")).StandardOutput;
        Assert.Contains("distribution_box,1795374004990,error,modbus timeout", box, StringComparison.Ordinal);

        var types = (await _influx.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", "SHOW FIELD KEYS FROM high_mast")).StandardOutput;
        Assert.Contains("voltage_v,float", types, StringComparison.Ordinal);
        Assert.Contains("lamps_lit,integer", types, StringComparison.Ordinal);
    }
}
