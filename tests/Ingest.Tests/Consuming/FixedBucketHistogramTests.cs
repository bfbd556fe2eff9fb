using System.Text;
using System.Text.Json;
using Telemetry.Ingest.Consuming;

namespace Telemetry.Ingest.Tests.Consuming;

public sealed class FixedBucketHistogramTests
{
    [Fact]
    public void Values_count_in_the_first_bucket_whose_bound_they_do_not_exceed_and_counts_are_cumulative()
    {
        var histogram = new FixedBucketHistogram(1, 2, 5);
        foreach (var value in new[] { 0.5, 1, 1.5, 2, 3, 5, 7, 1000 })
        {
            histogram.Record(value);
        }

        var snapshot = histogram.Snapshot();

        Assert.Equal([(1.0, 2L), (2.0, 4L), (5.0, 6L), (double.PositiveInfinity, 8L)], snapshot.Cumulative);
        Assert.Equal(8, snapshot.Count);
        Assert.Equal(1020, snapshot.Sum, precision: 6);
    }

    [Fact]
    public void Quantiles_are_interpolated_within_their_bucket()
    {
        var histogram = new FixedBucketHistogram(10, 20, 50);
        for (var i = 0; i < 50; i++)
        {
            histogram.Record(5);
        }

        for (var i = 0; i < 50; i++)
        {
            histogram.Record(15);
        }

        var snapshot = histogram.Snapshot();

        Assert.Equal(10, snapshot.Quantile(0.5));
        Assert.Equal(19, snapshot.Quantile(0.95)!.Value, precision: 9);
        Assert.Equal(19.8, snapshot.Quantile(0.99)!.Value, precision: 9);
        Assert.Equal(2, snapshot.Quantile(0.1)!.Value, precision: 9);
    }

    [Fact]
    public void A_quantile_beyond_the_last_bound_is_the_last_bound_and_an_empty_histogram_has_none()
    {
        var histogram = new FixedBucketHistogram(1, 2);
        Assert.Null(histogram.Snapshot().Quantile(0.5));

        histogram.Record(1);
        histogram.Record(60_000);
        histogram.Record(70_000);

        Assert.Equal(2, histogram.Snapshot().Quantile(0.99));
    }

    [Fact]
    public void The_difference_of_two_snapshots_holds_what_was_recorded_between_them()
    {
        var histogram = FixedBucketHistogram.Milliseconds();
        histogram.Record(3);
        var before = histogram.Snapshot();
        histogram.Record(150);
        histogram.Record(180);

        var since = histogram.Snapshot().Since(before);

        Assert.Equal(2, since.Count);
        Assert.Equal(330, since.Sum, precision: 6);
        Assert.Equal(0, since.Cumulative.Single(b => b.UpperBound == 100).Count);
        Assert.Equal(2, since.Cumulative.Single(b => b.UpperBound == 200).Count);
    }

    [Fact]
    public void Recordings_from_many_threads_are_all_counted()
    {
        var histogram = FixedBucketHistogram.Points();

        Parallel.For(0, 40_000, i => histogram.Record(i % 7_000));

        var snapshot = histogram.Snapshot();
        Assert.Equal(40_000, snapshot.Count);
        Assert.Equal(40_000, snapshot.Cumulative[^1].Count);
        Assert.Equal(Enumerable.Range(0, 40_000).Sum(i => (long)(i % 7_000)), snapshot.Sum, precision: 6);
    }

    [Fact]
    public void The_health_form_names_each_bound_and_the_quantiles()
    {
        var histogram = new FixedBucketHistogram(1, 2.5);
        histogram.Record(2);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            histogram.Snapshot().Write(writer);
        }

        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("count").GetInt64());
        Assert.Equal(0, root.GetProperty("buckets").GetProperty("1").GetInt64());
        Assert.Equal(1, root.GetProperty("buckets").GetProperty("2.5").GetInt64());
        Assert.Equal(1, root.GetProperty("buckets").GetProperty("+Inf").GetInt64());
        Assert.Equal(1.8, root.GetProperty("p50").GetDouble());
    }

    [Fact]
    public void Bounds_must_increase()
    {
        Assert.Throws<ArgumentException>(() => new FixedBucketHistogram(1, 1));
        Assert.Throws<ArgumentException>(() => new FixedBucketHistogram(1, double.PositiveInfinity));
    }
}
