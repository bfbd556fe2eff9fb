using System.Text;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Tests.LineProtocol;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.InfluxDb.Tests.Writing;

public sealed class PointBatchBuilderTests
{
    [Fact]
    public void A_batch_is_full_when_it_reaches_the_point_count()
    {
        using var builder = new PointBatchBuilder(maxPoints: 3, maxBytes: 1 << 20);

        builder.Add(Sample(1));
        builder.Add(Sample(2));
        Assert.False(builder.IsFull);
        builder.Add(Sample(3));

        Assert.True(builder.IsFull);
        Assert.Equal(3, builder.PointCount);
    }

    [Fact]
    public void A_batch_is_full_when_it_reaches_the_byte_size()
    {
        using var builder = new PointBatchBuilder(maxPoints: 1000, maxBytes: 40);
        var lineLength = Encoding.UTF8.GetByteCount(LineProtocolEncoder.ToLine(Sample(1))) + 1;

        builder.Add(Sample(1));
        Assert.Equal(lineLength, builder.ByteCount);
        while (!builder.IsFull)
        {
            builder.Add(Sample(builder.PointCount + 1));
        }

        Assert.InRange(builder.ByteCount, 40, 40 + lineLength - 1);
    }

    [Fact]
    public void Taking_a_batch_hands_over_the_body_and_starts_an_empty_one()
    {
        using var builder = new PointBatchBuilder();
        builder.Add(Sample(1));
        builder.Add(Sample(2));

        using var batch = builder.TakeBatch();

        Assert.Equal(2, batch.PointCount);
        Assert.Equal("m,k=v f=1i 1\nm,k=v f=2i 2\n", Encoding.UTF8.GetString(batch.Body.Span));
        Assert.Equal(batch.Body.Length, batch.ByteCount);
        Assert.True(builder.IsEmpty);
        Assert.Equal(0, builder.ByteCount);
    }

    [Fact]
    public void Batches_in_flight_are_not_changed_by_later_points()
    {
        using var builder = new PointBatchBuilder(maxPoints: 2);
        var batches = new List<LineProtocolBatch>();
        for (var i = 1; i <= 6; i++)
        {
            builder.Add(Sample(i));
            if (builder.IsFull)
            {
                batches.Add(builder.TakeBatch());
            }
        }

        builder.Dispose();
        var timestamps = batches.SelectMany(b => InfluxLineParser.Parse(b.Body.Span)).Select(p => p.Timestamp);
        Assert.Equal([1L, 2, 3, 4, 5, 6], timestamps);
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void A_rejected_point_leaves_the_batch_unchanged()
    {
        using var builder = new PointBatchBuilder();
        builder.Add(Sample(1));

        Assert.Throws<InfluxValueException>(() => builder.Add(new Point("m").Field("f", double.NaN)));

        Assert.Equal(1, builder.PointCount);
        using var batch = builder.TakeBatch();
        Assert.Single(InfluxLineParser.Parse(batch.Body.Span));
    }

    [Fact]
    public void A_disposed_batch_no_longer_exposes_its_body_and_may_be_disposed_again()
    {
        using var builder = new PointBatchBuilder();
        builder.Add(Sample(1));
        var batch = builder.TakeBatch();

        batch.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Body);
    }

    [Fact]
    public void Taking_an_empty_batch_is_refused()
    {
        using var builder = new PointBatchBuilder();

        Assert.Throws<InvalidOperationException>(() => builder.TakeBatch());
    }

    [Fact]
    public void Clear_drops_the_points_being_batched()
    {
        using var builder = new PointBatchBuilder();
        builder.Add(Sample(1));

        builder.Clear();

        Assert.True(builder.IsEmpty);
        Assert.Equal(0, builder.ByteCount);
    }

    [Fact]
    public void A_batch_grows_past_its_initial_buffer_when_one_point_is_large()
    {
        using var builder = new PointBatchBuilder(maxPoints: 10, maxBytes: 16);
        var large = new string('x', 100_000);

        builder.Add(new Point("m").Field("s", large));
        builder.Add(Sample(2));

        using var batch = builder.TakeBatch();
        var points = InfluxLineParser.Parse(batch.Body.Span);
        Assert.Equal(large, points[0].Fields[0].Value.AsString());
        Assert.Equal(2, points[1].Timestamp);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    public void Limits_must_be_positive(int maxPoints, int maxBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PointBatchBuilder(maxPoints, maxBytes));
    }

    private static Point Sample(int i) => new Point("m").Tag("k", "v").Field("f", (long)i).Timestamp(i);
}
