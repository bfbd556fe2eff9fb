using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Planning;

/// <summary>
/// Groups points into the fewest reads the device accepts.
/// </summary>
/// <remarks>
/// Per table, points sorted by address are merged greedily: a point joins the open read when the unused
/// addresses before it are at most the gap limit and the read stays within the length limit; otherwise
/// it opens the next read. A read never splits a point and reads never overlap, so every plan reads runs
/// of consecutive points, and a run stays valid when points are dropped from its front. Greedy is then
/// optimal ("greedy stays ahead"): if any plan's k-th read ends at point j, greedy's k-th read ends at j or
/// later: by induction greedy's first k-1 reads end at or past the other plan's, so greedy is either past j
/// already or starts its k-th read inside the other plan's k-th read; the rest of that read up to j is a
/// valid run, so greedy, which extends as far as it can, reaches at least j.
/// With no binding length limit the count is exactly the number of clusters left after filling every
/// gap of at most the gap limit. Tests check both facts against an exhaustive optimum.
/// </remarks>
public static class PollPlanner
{
    /// <summary>The fewest reads covering <paramref name="points"/> within <paramref name="limits"/>, by table then address.</summary>
    /// <exception cref="ArgumentException">Two points overlap, or one is longer than a read may be.</exception>
    public static IReadOnlyList<ReadRequest> Plan(IEnumerable<PointDefinition> points, ReadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(limits);
        var requests = new List<ReadRequest>();
        foreach (var table in points.GroupBy(p => p.Table).OrderBy(g => g.Key))
        {
            var sorted = table.OrderBy(p => p.Address).ToList();
            requests.AddRange(Merge(table.Key, sorted, limits.MaxGap(table.Key), limits.MaxLength(table.Key)));
        }

        return requests;
    }

    /// <summary>
    /// Smaller reads for a read that the device refused with an illegal-address exception: first the
    /// contiguous runs of its points without the gaps between them, then halves, down to single points;
    /// a single point that fails is given up as unavailable.
    /// </summary>
    public static SplitOutcome Split(ReadRequest failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        if (failed.Points.Count <= 1)
        {
            return new SplitOutcome([], failed.Points.Count == 1 ? failed.Points[0] : null);
        }

        var runs = Merge(failed.Table, failed.Points, maxGap: 0, maxLength: failed.Count);
        if (runs.Count > 1)
        {
            return new SplitOutcome(runs, null);
        }

        var middle = failed.Points.Count / 2;
        return new SplitOutcome(
            [Cover(failed.Table, failed.Points.Take(middle).ToList()), Cover(failed.Table, failed.Points.Skip(middle).ToList())],
            null);
    }

    private static List<ReadRequest> Merge(RegisterTable table, IReadOnlyList<PointDefinition> sorted, int maxGap, int maxLength)
    {
        var requests = new List<ReadRequest>();
        var block = new List<PointDefinition>();
        int start = 0, end = 0;
        foreach (var point in sorted)
        {
            if (point.Length > maxLength)
            {
                throw new ArgumentException($"point {point} is {point.Length} long, more than one read of at most {maxLength}", nameof(sorted));
            }

            if (block.Count > 0 && point.Address < end)
            {
                throw new ArgumentException($"point {point} overlaps {block[^1]}", nameof(sorted));
            }

            if (block.Count > 0 && point.Address - end <= maxGap && point.End - start <= maxLength)
            {
                block.Add(point);
                end = point.End;
                continue;
            }

            if (block.Count > 0)
            {
                requests.Add(new ReadRequest(table, start, end - start, block));
            }

            block = [point];
            start = point.Address;
            end = point.End;
        }

        if (block.Count > 0)
        {
            requests.Add(new ReadRequest(table, start, end - start, block));
        }

        return requests;
    }

    private static ReadRequest Cover(RegisterTable table, List<PointDefinition> points) =>
        new(table, points[0].Address, points[^1].End - points[0].Address, points);
}
