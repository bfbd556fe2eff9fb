using System.Text;
using Telemetry.Contracts;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class EventPointsTests
{
    private static readonly DateTimeOffset Read = new(2026, 11, 22, 19, 0, 4, 981, TimeSpan.Zero);

    [Fact]
    public void Gateway_event_lands_on_the_events_measurement_with_its_figures()
    {
        var topic = new GatewayTopic("north", "gw-1", GatewayTopicKind.Event);
        using var builder = new PointBatchBuilder();
        new EventPoints().Add(builder, topic, new GatewayEvent
        {
            Kind = "battery_test_finished",
            Ts = Read,
            Device = "eb-1",
            Message = "duration test failed",
            Values = new Dictionary<string, ReadingValue> { ["runtime_min"] = 61.5 },
            Attributes = new Dictionary<string, string> { ["outcome"] = "failed" },
        });
        using var batch = builder.TakeBatch();

        Assert.Equal("events,device=eb-1,gateway=gw-1,kind=battery_test_finished,site=north message=\"duration test failed\",runtime_min=61.5,outcome=\"failed\" 1795374004981\n", Encoding.UTF8.GetString(batch.Body.Span));
    }

    [Fact]
    public void An_event_with_a_null_attribute_is_refused_whole_and_adds_nothing()
    {
        var topic = new GatewayTopic("north", "gw-1", GatewayTopicKind.Event);
        using var builder = new PointBatchBuilder();
        var attributes = new Dictionary<string, string> { ["outcome"] = "failed", ["k"] = null! };

        var error = Assert.Throws<ArgumentException>(() => new EventPoints().Add(builder, topic, new GatewayEvent { Kind = "device_error", Ts = Read, Attributes = attributes }));

        Assert.Contains("$.attributes.k", error.Message, StringComparison.Ordinal);
        Assert.True(builder.IsEmpty);
        Assert.Equal(0, builder.ByteCount);
    }
}
