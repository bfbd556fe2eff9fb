using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts.Validation;

namespace Telemetry.Contracts.Tests;

/// <summary>The one validator of gateway messages, on messages as the consumers deserialise them.</summary>
public sealed class GatewayMessageValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 19, 5, 0, TimeSpan.Zero);
    private static readonly GatewayTopic Telemetry = new("north", "gw-north-01", GatewayTopicKind.Telemetry);
    private readonly GatewayMessageValidator _validator = new(new ValidationLimits(), new FakeTimeProvider(Now));

    [Fact]
    public void A_null_reading_makes_the_batch_malformed_naming_its_path()
    {
        var batch = Batch("""[{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:00.000Z","values":{"lamps_lit":7}},null]""");

        var refused = _validator.CheckBatch(Telemetry, batch, _validator.Latest());

        Assert.Equal(RejectionReason.MalformedJson, refused?.Reason);
        Assert.StartsWith("$.readings[1]", refused!.Detail, StringComparison.Ordinal);
        Assert.Equal("malformed_json", refused.ReasonName);
    }

    [Fact]
    public void A_null_attribute_value_refuses_the_event_naming_its_path()
    {
        var gatewayEvent = JsonSerializer.Deserialize("""{"v":1,"kind":"device_error","ts":"2026-11-22T19:00:00.000Z","attributes":{"ok":"x","k":null}}""", ContractsJson.Default.GatewayEvent)!;

        var refused = _validator.CheckEvent(gatewayEvent);

        Assert.Equal(RejectionReason.MalformedJson, refused?.Reason);
        Assert.StartsWith("$.attributes.k", refused!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2099-12-31T23:59:59.000Z", "$.readings[0].ts")]
    [InlineData("1970-01-01T00:00:00.000Z", "$.readings[0].ts")]
    public void A_reading_out_of_the_time_bounds_is_refused_alone_naming_its_path(string ts, string path)
    {
        var batch = Batch($$$"""[{"device":"mast-07","family":"high_mast","ts":"{{{ts}}}","values":{"lamps_lit":7}}]""");

        Assert.Null(_validator.CheckBatch(Telemetry, batch, _validator.Latest()));
        var refused = _validator.CheckReading(batch.Readings[0], 0, _validator.Latest());

        Assert.Equal(RejectionReason.TimestampOutOfRange, refused?.Reason);
        Assert.StartsWith(path, refused!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"device":"mast 07","family":"high_mast","ts":"2026-11-22T19:00:00.000Z","values":{"lamps_lit":7}}""", RejectionReason.InvalidIdentifier, "$.readings[0].device")]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:00.000Z","values":{"Lamps Lit":7}}""", RejectionReason.InvalidName, "$.readings[0].values")]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:00.000Z","quality":"error"}""", RejectionReason.InconsistentReading, "$.readings[0].error")]
    [InlineData("""{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:00.000Z","quality":"good"}""", RejectionReason.InconsistentReading, "$.readings[0].values")]
    public void A_reading_that_breaks_a_rule_is_refused_naming_its_path(string reading, RejectionReason reason, string path)
    {
        var batch = Batch($"[{reading}]");

        var refused = _validator.CheckReading(batch.Readings[0], 0, _validator.Latest());

        Assert.Equal(reason, refused?.Reason);
        Assert.StartsWith(path, refused!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_of_another_version_or_gateway_is_refused_whole()
    {
        var other = Batch("[]", gateway: "gw-other");
        var version = Batch("[]", version: 2);

        Assert.Equal(RejectionReason.TopicMismatch, _validator.CheckBatch(Telemetry, other, _validator.Latest())?.Reason);
        Assert.Equal(RejectionReason.UnknownVersion, _validator.CheckBatch(Telemetry, version, _validator.Latest())?.Reason);
    }

    [Fact]
    public void A_valid_batch_state_and_event_pass()
    {
        var batch = Batch("""[{"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:00.000Z","values":{"lamps_lit":7,"commanded_on":true}}]""");
        var state = JsonSerializer.Deserialize("""{"state":"online","ts":"2026-11-22T19:00:00.000Z","version":"1.4.2"}""", ContractsJson.Default.GatewayState)!;
        var gatewayEvent = JsonSerializer.Deserialize("""{"v":1,"kind":"command_result","ts":"2026-11-22T19:00:00.000Z","device":"sc-2","attributes":{"result":"done"}}""", ContractsJson.Default.GatewayEvent)!;

        Assert.Null(_validator.CheckBatch(Telemetry, batch, _validator.Latest()));
        Assert.Null(_validator.CheckReading(batch.Readings[0], 0, _validator.Latest()));
        Assert.Null(_validator.CheckState(state));
        Assert.Null(_validator.CheckEvent(gatewayEvent));
    }

    private static ReadingBatch Batch(string readings, string gateway = "gw-north-01", int version = 1) =>
        JsonSerializer.Deserialize(
            $$"""{"v":{{version}},"gateway":"{{gateway}}","site":"north","seq":1,"sent":"2026-11-22T19:00:05.000Z","readings":{{readings}}}""",
            ContractsJson.Default.ReadingBatch)!;
}
