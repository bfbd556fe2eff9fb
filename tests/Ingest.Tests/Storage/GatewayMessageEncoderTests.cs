using System.Text;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class GatewayMessageEncoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 19, 0, 10, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("""{"v":1,"kind":"device_error","ts":"2026-11-22T19:00:04.981Z","attributes":{"k":null}}""", "$.attributes.k")]
    [InlineData("""{"v":1,"kind":"device_error","ts":"2026-11-22T19:00:04.981Z","attributes":{"outcome":"failed","k":null}}""", "$.attributes.k")]
    public void An_event_with_a_null_attribute_is_refused_as_malformed_at_its_JSON_path_and_adds_no_point(string payload, string path)
    {
        var limits = new ValidationLimits();
        var encoder = new GatewayMessageEncoder(new Topics(), new GatewayMessageValidator(limits, new FixedClock(Now)), limits);
        using var builder = new PointBatchBuilder();

        var encoded = encoder.Encode("lighting/north/gw-x/event", Encoding.UTF8.GetBytes(payload), builder);

        var rejection = Assert.Single(encoded.Rejections);
        Assert.Equal(RejectionReason.MalformedJson, rejection.Reason);
        Assert.StartsWith(path + ":", rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(0, encoded.Points);
        Assert.True(builder.IsEmpty);
    }
}
