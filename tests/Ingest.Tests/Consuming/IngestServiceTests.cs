using System.Text;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Consuming;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Consuming;

public sealed class IngestServiceTests
{
    private const string Topic = "lighting/north/gw-1/telemetry";

    [Fact]
    public void A_message_whose_encoding_throws_is_taken_back_refused_as_unprocessable_and_the_next_message_is_encoded()
    {
        var clock = new BreakableClock(new DateTimeOffset(2026, 11, 22, 19, 0, 10, 0, TimeSpan.Zero));
        var limits = new ValidationLimits();
        var encoder = new GatewayMessageEncoder(new Topics(), new GatewayMessageValidator(limits, clock), limits);
        using var builder = new PointBatchBuilder();

        var first = IngestService.EncodeAlone(encoder, Topic, Batch(1, "mast-01"), builder, out var none);
        var before = builder.Position;
        clock.Broken = true;
        var broken = IngestService.EncodeAlone(encoder, Topic, Batch(2, "mast-02"), builder, out var failure);
        clock.Broken = false;
        var after = IngestService.EncodeAlone(encoder, Topic, Batch(3, "mast-03"), builder, out _);

        Assert.Null(none);
        Assert.Empty(first.Rejections);
        Assert.IsType<InvalidOperationException>(failure);
        var rejection = Assert.Single(broken.Rejections);
        Assert.Equal(RejectionReason.Unprocessable, rejection.Reason);
        Assert.Equal("System.InvalidOperationException: the clock broke", rejection.Detail);
        Assert.Equal(0, broken.Points);
        Assert.Empty(after.Rejections);
        Assert.Equal(before.PointCount + after.Points, builder.PointCount);

        using var batch = builder.TakeBatch();
        var lines = Encoding.UTF8.GetString(batch.Body.Span);
        Assert.Contains("device=mast-01", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("device=mast-02", lines, StringComparison.Ordinal);
        Assert.Contains("device=mast-03", lines, StringComparison.Ordinal);
    }

    private static byte[] Batch(long seq, string device) => Encoding.UTF8.GetBytes(
        $$$"""{"v":1,"gateway":"gw-1","site":"north","seq":{{{seq}}},"sent":"2026-11-22T19:00:05.081Z","readings":[{"device":"{{{device}}}","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"lamps_lit":7}}]}""");

    private sealed class BreakableClock(DateTimeOffset now) : TimeProvider
    {
        public bool Broken { get; set; }

        public override DateTimeOffset GetUtcNow() => Broken ? throw new InvalidOperationException("the clock broke") : now;
    }
}
