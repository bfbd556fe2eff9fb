extern alias ingest;

using System.Text;
using ingest::Telemetry.Ingest.Storage;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Writing;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Replay;
using Telemetry.Rules.Tests.Evaluation;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Replay;

/// <summary>A range stored by Ingest's own encoder in a real influxd, read back and judged again.</summary>
public sealed class StoredHistoryTests : IAsyncLifetime
{
    private const string Database = "telemetry";

    // A range long past, read in windows of 30 s so that it spans several queries.
    private static readonly DateTimeOffset Start = new(2021, 3, 1, 2, 0, 0, TimeSpan.Zero);

    private InfluxServer? server;
    private InfluxClient? client;

    public async Task InitializeAsync()
    {
        server = await InfluxServer.StartAsync();
        client = new InfluxClient(new InfluxClientOptions { BaseAddress = server.Url, Database = Database });
        await client.CreateDatabaseAsync(Database);
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Readings_as_ingest_stores_them_come_back_as_they_were_sent()
    {
        await StoreReadingsAsync(Start,
            """{"device":"sc-01","family":"street_controller","circuit":"2","ts":"TS","values":{"commanded_on":true,"lamps_lit":7,"current_l1_a":2.5}}""",
            """{"device":"box-01","family":"distribution_box","ts":"TS","quality":"error","error":"modbus timeout"}""");

        var inputs = await History().ReadAsync(TestPlant.SiteId, Start, Start.AddMinutes(1)).ToListAsync();

        var batch = Assert.IsType<ReplayedReadings>(Assert.Single(inputs)).Batch;
        Assert.Equal(Start, batch.Sent);
        var circuit = Assert.Single(batch.Readings, r => r.Device == "sc-01");
        Assert.Equal(("2", DeviceFamily.StreetController, ReadingQuality.Good), (circuit.Circuit, circuit.Family, circuit.Quality));
        Assert.True(circuit.Values!["commanded_on"].AsBoolean());
        Assert.Equal(7, circuit.Values["lamps_lit"].AsInteger());
        Assert.Equal(2.5, circuit.Values["current_l1_a"].AsDouble());
        var error = Assert.Single(batch.Readings, r => r.Device == "box-01");
        Assert.Equal((ReadingQuality.Error, "modbus timeout"), (error.Quality, error.Error));
        Assert.Null(error.Values);
    }

    [Fact]
    public async Task A_stored_range_replays_to_the_tickets_it_held_at_their_own_times()
    {
        double[] insulation = [5, 0.3, 0.3, 0.3, 5, 5, 5];
        for (var i = 0; i < insulation.Length; i++)
        {
            await StoreReadingsAsync(Start.AddSeconds(10 * i),
                $$$"""{"device":"box-01","family":"distribution_box","ts":"TS","values":{"insulation_mohm":{{{insulation[i]}}}}}""");
        }

        await StoreEventAsync(new GatewayEvent
        {
            Kind = EventKinds.BatteryTestFinished,
            Ts = Start.AddSeconds(25),
            Device = "eps-01",
            Message = "battery at cut-off",
            Values = new Dictionary<string, ReadingValue> { ["runtime_s"] = 1800, ["rated_s"] = 5400 },
            Attributes = new Dictionary<string, string> { ["test"] = "duration", ["outcome"] = "failed" },
        });

        var replay = new RuleReplay(new PlantDirectory([TestPlant.Site()]), RuleSet.Default.Thresholds.Defaults);
        var transitions = await replay.RunAsync(History().ReadAsync(TestPlant.SiteId, Start, Start.AddMinutes(2)));

        Assert.Equal(Start.AddSeconds(30), Assert.Single(transitions.OfType<FaultDetected>(), t => t.Fault == FaultType.LowInsulation).At);
        Assert.Equal(Start.AddSeconds(60), Assert.Single(transitions.OfType<FaultCleared>(), t => t.Fault == FaultType.LowInsulation).At);
        var discharge = Assert.Single(transitions.OfType<FaultDetected>(), t => t.Fault == FaultType.FailedDischarge);
        Assert.Equal((Start.AddSeconds(25), 1800.0), (discharge.At, discharge.Evidence["runtime_s"]));
    }

    [Fact]
    public async Task A_gateway_state_stored_on_the_events_axis_replays_as_offline_time()
    {
        await StoreStateAsync(GatewayStatus.Offline, Start);
        await StoreStateAsync(GatewayStatus.Online, Start.AddMinutes(3));

        var replay = new RuleReplay(new PlantDirectory([TestPlant.Site()]), RuleSet.Default.Thresholds.Defaults);
        var transitions = await replay.RunAsync(History().ReadAsync(TestPlant.SiteId, Start, Start.AddMinutes(5)));

        var offline = Assert.Single(transitions.OfType<FaultDetected>(), t => t.Fault == FaultType.GatewayOffline);
        Assert.InRange(offline.At, Start.AddSeconds(30), Start.AddSeconds(40));
        Assert.Equal(Start.AddMinutes(3), Assert.Single(transitions.OfType<FaultCleared>(), t => t.Fault == FaultType.GatewayOffline).At);
    }

    [Fact]
    public async Task A_site_that_is_no_identifier_is_refused_before_any_query()
    {
        await StoreReadingsAsync(Start, """{"device":"box-01","family":"distribution_box","ts":"TS","values":{"insulation_mohm":5}}""");

        await Assert.ThrowsAsync<ArgumentException>(async () => await History().ReadAsync("x' OR '1'='1", Start, Start.AddMinutes(1)).ToListAsync());

        // The same reader then reads a real site.
        Assert.Single(await History().ReadAsync(TestPlant.SiteId, Start, Start.AddMinutes(1)).ToListAsync());
    }

    private StoredHistory History() => new(client!, Database, TimeSpan.FromSeconds(30));

    private async Task StoreReadingsAsync(DateTimeOffset at, params string[] readings)
    {
        var ts = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var payload = $$"""{"v":1,"gateway":"{{TestPlant.GatewayId}}","site":"{{TestPlant.SiteId}}","seq":{{at.ToUnixTimeMilliseconds()}},"sent":"{{ts}}","readings":[{{string.Join(",", readings).Replace("\"TS\"", $"\"{ts}\"", StringComparison.Ordinal)}}]}""";
        var encoder = new ReadingBatchEncoder(new GatewayMessageValidator(new ValidationLimits(), new FakeTimeProvider(at)));
        using var builder = new PointBatchBuilder();
        var topic = new GatewayTopic(TestPlant.SiteId, TestPlant.GatewayId, GatewayTopicKind.Telemetry);
        encoder.Encode(topic, Encoding.UTF8.GetBytes(TestPlant.SiteId), Encoding.UTF8.GetBytes(TestPlant.GatewayId), Encoding.UTF8.GetBytes(payload), builder);
        await WriteAsync(builder);
    }

    private async Task StoreEventAsync(GatewayEvent gatewayEvent)
    {
        using var builder = new PointBatchBuilder();
        new EventPoints().Add(builder, new GatewayTopic(TestPlant.SiteId, TestPlant.GatewayId, GatewayTopicKind.Event), gatewayEvent);
        await WriteAsync(builder);
    }

    private async Task StoreStateAsync(GatewayStatus status, DateTimeOffset at)
    {
        using var builder = new PointBatchBuilder();
        new EventPoints().Add(builder, new GatewayTopic(TestPlant.SiteId, TestPlant.GatewayId, GatewayTopicKind.State), new GatewayState { State = status, Ts = at });
        await WriteAsync(builder);
    }

    private async Task WriteAsync(PointBatchBuilder builder)
    {
        using var batch = builder.TakeBatch();
        await client!.WriteAsync(batch.Body);
    }
}
