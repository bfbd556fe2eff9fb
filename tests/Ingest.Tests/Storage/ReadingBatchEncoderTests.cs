using System.Text;
using Telemetry.Contracts;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class ReadingPointsTests
{
    private static readonly DateTimeOffset Read = new(2026, 11, 22, 19, 0, 4, 981, TimeSpan.Zero);

    private static string Lines(ReadingBatch batch) => Lines((p, b) =>
    {
        foreach (var reading in batch.Readings)
        {
            p.AddReading(b, batch, reading);
        }

        p.AddBatch(b, batch, batch.Readings.Count);
    });

    private static string Lines(Action<ReadingPoints, PointBatchBuilder> add)
    {
        using var builder = new PointBatchBuilder();
        add(new ReadingPoints(), builder);
        using var batch = builder.TakeBatch();
        return Encoding.UTF8.GetString(batch.Body.Span);
    }

    private static ReadingBatch Batch(params Reading[] readings) => new()
    {
        Gateway = "gw-1",
        Site = "north",
        Seq = 42,
        Sent = Read.AddMilliseconds(100),
        Readings = readings,
    };

    [Fact]
    public void Reading_becomes_a_point_of_its_family_tagged_by_site_gateway_device_at_its_read_time()
    {
        var lines = Lines(Batch(new Reading
        {
            Device = "mast-07",
            Family = DeviceFamily.HighMast,
            Ts = Read,
            Values = new Dictionary<string, ReadingValue> { ["lamps_lit"] = 7, ["commanded_on"] = true, ["voltage_v"] = 229.4 },
        }));

        Assert.Equal(
            "high_mast,device=mast-07,gateway=gw-1,site=north lamps_lit=7i,commanded_on=true,voltage_v=229.4 1795374004981\n" +
            "batches,gateway=gw-1,site=north seq=42i,readings=1i 1795374005081\n",
            lines);
    }

    [Fact]
    public void Measurements_are_floats_even_when_written_without_a_fraction_and_dimensionless_reals_stay_floats()
    {
        var lines = Lines(Batch(new Reading
        {
            Device = "c-1",
            Family = DeviceFamily.StreetController,
            Circuit = "2",
            Ts = Read,
            Values = new Dictionary<string, ReadingValue> { ["voltage_v"] = 230L, ["power_factor"] = 1.0, ["lamps_lit"] = 7L },
        }));

        Assert.StartsWith("street_controller,circuit=2,device=c-1,gateway=gw-1,site=north voltage_v=230,power_factor=1,lamps_lit=7i ", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_reading_keeps_its_reason()
    {
        var lines = Lines(Batch(new Reading
        {
            Device = "box-3",
            Family = DeviceFamily.DistributionBox,
            Ts = Read,
            Quality = ReadingQuality.Error,
            Error = "modbus timeout, \"unit 3\"",
        }));

        Assert.StartsWith("distribution_box,device=box-3,gateway=gw-1,site=north quality=\"error\",error=\"modbus timeout, \\\"unit 3\\\"\" 1795374004981\n", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_event_lands_on_the_events_measurement_with_its_figures()
    {
        var topic = new GatewayTopic("north", "gw-1", GatewayTopicKind.Event);
        var lines = Lines((p, b) => p.Add(b, topic, new GatewayEvent
        {
            Kind = "battery_test_finished",
            Ts = Read,
            Device = "eb-1",
            Message = "duration test failed",
            Values = new Dictionary<string, ReadingValue> { ["runtime_min"] = 61.5 },
            Attributes = new Dictionary<string, string> { ["outcome"] = "failed" },
        }));

        Assert.Equal("events,device=eb-1,gateway=gw-1,kind=battery_test_finished,site=north message=\"duration test failed\",runtime_min=61.5,outcome=\"failed\" 1795374004981\n", lines);
    }
}
