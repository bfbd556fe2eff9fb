using System.Text;
using Telemetry.Contracts;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class ReadingBatchEncoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 19, 0, 10, 0, TimeSpan.Zero);
    private static readonly GatewayTopic Topic = new("north", "gw-1", GatewayTopicKind.Telemetry);

    private static (EncodedMessage Message, string Lines) Encode(string payload)
    {
        var encoder = new ReadingBatchEncoder(new GatewayMessageValidator(new ValidationLimits(), new FixedClock(Now)));
        using var builder = new PointBatchBuilder();
        var message = encoder.Encode(Topic, "north"u8, "gw-1"u8, Encoding.UTF8.GetBytes(payload), builder);
        if (builder.IsEmpty)
        {
            return (message, string.Empty);
        }

        using var batch = builder.TakeBatch();
        return (message, Encoding.UTF8.GetString(batch.Body.Span));
    }

    private static string Batch(string readings) =>
        $$"""{"v":1,"gateway":"gw-1","site":"north","seq":42,"sent":"2026-11-22T19:00:05.081Z","readings":[{{readings}}]}""";

    [Fact]
    public void Reading_becomes_a_point_of_its_family_tagged_by_site_gateway_device_at_its_read_time()
    {
        var (_, lines) = Encode(Batch("""
            {"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7,"commanded_on":true,"voltage_v":229.4}}
            """));

        Assert.Equal(
            "high_mast,device=mast-07,gateway=gw-1,site=north lamps_lit=7i,commanded_on=true,voltage_v=229.4 1795374004981\n" +
            "batches,gateway=gw-1,site=north seq=42i,readings=1i 1795374005081\n",
            lines);
    }

    [Fact]
    public void Measurements_are_floats_even_when_written_without_a_fraction_and_dimensionless_reals_stay_floats()
    {
        var (_, lines) = Encode(Batch("""
            {"device":"c-1","family":"street_controller","circuit":"2","ts":"2026-11-22T19:00:04.981Z","values":{"voltage_v":230,"power_factor":1.0,"lamps_lit":7}}
            """));

        Assert.StartsWith("street_controller,circuit=2,device=c-1,gateway=gw-1,site=north voltage_v=230,power_factor=1,lamps_lit=7i ", lines, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}}""", false)]
    [InlineData(""" { "device" : "mast-07" ,"values":{ "lamps_lit" : 7 } , "ts":"2026-11-22T19:00:04Z","family":"high_mast"}""", false)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"voltage_v":2.3e2,"lamps_lit":-0}}""", false)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2024-02-29T23:59:59.999Z","values":{"lamps_lit":7}}""", false)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2025-02-29T00:00:00.000Z","values":{"lamps_lit":7}}""", true)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T24:00:00.000Z","values":{"lamps_lit":7}}""", true)]
    [InlineData("""{"device":"mast\u002d07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}}""", true)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T20:00:04.981+01:00","values":{"lamps_lit":7}}""", true)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7},"vendor":1}""", true)]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":9223372036854775807}}""", true)]
    [InlineData("""{"device":"mäst-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}}""", true)]
    [InlineData("""{"device":"mast 07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}}""", true)]
    public void Batches_in_the_gateways_form_take_the_fast_path_and_anything_else_the_general_one(string reading, bool general)
    {
        var encoder = new ReadingBatchEncoder(new GatewayMessageValidator(new ValidationLimits(), new FixedClock(Now)));
        using var builder = new PointBatchBuilder();

        encoder.Encode(Topic, "north"u8, "gw-1"u8, Encoding.UTF8.GetBytes(Batch(reading)), builder);

        Assert.Equal(general ? 1 : 0, encoder.GeneralPathMessages);
    }

    [Fact]
    public void Error_reading_keeps_its_reason()
    {
        var (_, lines) = Encode(Batch("""
            {"device":"box-3","family":"distribution_box","ts":"2026-11-22T19:00:04.981Z","quality":"error","error":"modbus timeout, \"unit 3\""}
            """));

        Assert.StartsWith("distribution_box,device=box-3,gateway=gw-1,site=north quality=\"error\",error=\"modbus timeout, \\\"unit 3\\\"\" 1795374004981\n", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_reading_is_refused_on_its_own_and_the_others_are_stored()
    {
        var (message, lines) = Encode(Batch("""
            {"device":"mast 7","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}},
            {"device":"mast-8","family":"high_mast","ts":"2026-11-22T19:00:04.982Z","values":{"lamps_lit":8}}
            """));

        Assert.Equal([RejectionReason.InvalidIdentifier], message.Rejections.Select(r => r.Reason));
        Assert.Equal(1, message.Readings);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 19, 0, 4, 982, TimeSpan.Zero), message.OldestReading);
        Assert.StartsWith("high_mast,device=mast-8,", lines, StringComparison.Ordinal);
        Assert.EndsWith("seq=42i,readings=1i 1795374005081\n", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_after_good_readings_takes_their_points_back()
    {
        var (message, lines) = Encode(Batch("""
            {"device":"mast-7","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}},
            {"device":"mast-8","family":"high_mast","ts":"2026-11-22T19:00:04.982Z","values":{"lamps_lit":8,"lamps_lit":9}}
            """));

        Assert.Equal([RejectionReason.MalformedJson], message.Rejections.Select(r => r.Reason));
        Assert.Contains("$.readings[1].values", message.Rejections[0].Detail, StringComparison.Ordinal);
        Assert.Equal(string.Empty, lines);
    }

    [Fact]
    public void Batch_fields_after_the_readings_are_checked_all_the_same()
    {
        var (message, lines) = Encode("""
            {"readings":[{"device":"mast-7","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}}],
             "site":"north","gateway":"gw-9","seq":1,"sent":"2026-11-22T19:00:05.081Z","v":1}
            """);

        Assert.Equal([RejectionReason.TopicMismatch], message.Rejections.Select(r => r.Reason));
        Assert.Equal(string.Empty, lines);
    }

    [Theory]
    [InlineData("""{"device":"m-1","family":7,"ts":"2026-11-22T19:00:04.981Z","values":{"a":1}}""")]
    [InlineData("""{"device":"m-1","family":"high_mast","quality":9,"ts":"2026-11-22T19:00:04.981Z"}""")]
    [InlineData("""null""")]
    public void A_reading_naming_no_family_or_quality_or_no_reading_at_all_is_malformed_json(string reading)
    {
        // The record-based path let these through to the storage layout, which stopped the consumer on an
        // unknown family and dropped an unknown quality without a word.
        var (message, lines) = Encode(Batch(reading));

        Assert.Equal([RejectionReason.MalformedJson], message.Rejections.Select(r => r.Reason));
        Assert.Equal(string.Empty, lines);
    }

    [Fact]
    public void Families_written_as_their_number_are_read_as_the_contract_reads_them()
    {
        var (message, lines) = Encode(Batch("""{"device":"m-1","family":1,"ts":"2026-11-22T19:00:04.981Z","values":{"a":1}}"""));

        Assert.Empty(message.Rejections);
        Assert.StartsWith("high_mast,device=m-1,", lines, StringComparison.Ordinal);
    }
}
