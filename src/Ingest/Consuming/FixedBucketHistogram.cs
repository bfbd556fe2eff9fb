using System.Globalization;
using System.Text.Json;

namespace Telemetry.Ingest.Consuming;

/// <summary>
/// Counts observations into fixed buckets (upper bounds, inclusive, and one above the last bound), lock-free:
/// recording is one interlocked increment, so every writer may record while the health endpoint reads.
/// </summary>
public sealed class FixedBucketHistogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumTimesThousand;

    /// <param name="bounds">Upper bounds of the buckets, strictly increasing and finite; a last bucket (+Inf) takes the rest.</param>
    public FixedBucketHistogram(params double[] bounds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bounds.Length);
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException("bucket bounds must be finite and strictly increasing", nameof(bounds));
            }
        }

        _bounds = [.. bounds];
        _counts = new long[bounds.Length + 1];
    }

    /// <summary>Write latency in milliseconds: 1 ms to 5 s.</summary>
    public static FixedBucketHistogram Milliseconds() => new(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000);

    /// <summary>Points per write: one point to the largest batch allowed.</summary>
    public static FixedBucketHistogram Points() => new(1, 10, 50, 100, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000);

    public void Record(double value)
    {
        var bucket = Array.BinarySearch(_bounds, value);
        Interlocked.Increment(ref _counts[bucket >= 0 ? bucket : ~bucket]);

        // The sum in thousandths, so that it too is one interlocked add (and milliseconds keep their microseconds).
        Interlocked.Add(ref _sumTimesThousand, (long)Math.Round(value * 1000));
    }

    /// <summary>The counts now. Taken while others record, it may be a recording or two behind in some buckets.</summary>
    public HistogramSnapshot Snapshot()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return new HistogramSnapshot(_bounds, counts, Interlocked.Read(ref _sumTimesThousand) / 1000.0);
    }
}

/// <summary>The counts of a <see cref="FixedBucketHistogram"/> at one moment, or between two moments.</summary>
public sealed class HistogramSnapshot
{
    private readonly double[] _bounds;
    private readonly long[] _counts;

    internal HistogramSnapshot(double[] bounds, long[] counts, double sum)
    {
        _bounds = bounds;
        _counts = counts;
        Sum = sum;
        Count = counts.Sum();
    }

    public long Count { get; }

    public double Sum { get; }

    /// <summary>Observations at or below each bound, then all of them (+Inf): the cumulative counts.</summary>
    public IReadOnlyList<(double UpperBound, long Count)> Cumulative
    {
        get
        {
            var buckets = new List<(double, long)>(_counts.Length);
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                running += _counts[i];
                buckets.Add((i < _bounds.Length ? _bounds[i] : double.PositiveInfinity, running));
            }

            return buckets;
        }
    }

    /// <summary>What happened since <paramref name="earlier"/>, a snapshot of the same histogram.</summary>
    public HistogramSnapshot Since(HistogramSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(_bounds, [.. _counts.Select((count, i) => count - earlier._counts[i])], Sum - earlier.Sum);
    }

    /// <summary>
    /// Estimates the <paramref name="quantile"/> (0 to 1) as Prometheus' histogram_quantile does: linearly within
    /// the bucket that holds it, from 0 for the first; in the last (+Inf) bucket, the highest bound. Null when empty.
    /// </summary>
    public double? Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        if (Count == 0)
        {
            return null;
        }

        var rank = quantile * Count;
        long below = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0 && below + _counts[i] >= rank)
            {
                if (i == _bounds.Length)
                {
                    return _bounds[^1];
                }

                var lower = i == 0 ? 0 : _bounds[i - 1];
                return lower + ((_bounds[i] - lower) * Math.Max(0, rank - below) / _counts[i]);
            }

            below += _counts[i];
        }

        return _bounds[^1];
    }

    /// <summary>Writes <c>{"count":..,"sum":..,"p50":..,"p95":..,"p99":..,"buckets":{"1":..,"+Inf":..}}</c>.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("count", Count);
        writer.WriteNumber("sum", Math.Round(Sum, 3));
        foreach (var (name, quantile) in new[] { ("p50", 0.5), ("p95", 0.95), ("p99", 0.99) })
        {
            if (Quantile(quantile) is { } value)
            {
                writer.WriteNumber(name, Math.Round(value, 1));
            }
            else
            {
                writer.WriteNull(name);
            }
        }

        writer.WriteStartObject("buckets");
        foreach (var (bound, count) in Cumulative)
        {
            writer.WriteNumber(double.IsPositiveInfinity(bound) ? "+Inf" : bound.ToString(CultureInfo.InvariantCulture), count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
