using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Tests.Planning;

/// <summary>A set of non-overlapping points of one or two tables with the limits to plan them under.</summary>
public sealed record PlanningCase(IReadOnlyList<PointDefinition> Points, ReadLimits Limits)
{
    public override string ToString() =>
        $"{Limits} points: {string.Join(", ", Points.Select(p => $"{p.Table.ToJsonName()} {p.Address}+{p.Length}"))}";
}

/// <summary>A planning case and the addresses the device refuses.</summary>
public sealed record RefusingDevice(PlanningCase Case, IReadOnlySet<(RegisterTable Table, int Address)> Missing)
{
    public override string ToString() => $"{Case} missing: {string.Join(", ", Missing)}";
}

public static class PlanningArbitraries
{
    private static Gen<List<PointDefinition>> PointsOf(RegisterTable table, int maxLength, int? maxPoints = null)
    {
        var length = table.HoldsBits() ? Gen.Constant(1) : Gen.Choose(1, maxLength);
        var point = Gen.Zip(Gen.Choose(0, 12), length);
        return from start in Gen.Choose(0, 40)
               from shapes in maxPoints is { } most ? Gen.Choose(1, most).SelectMany(n => Gen.ListOf(point, n)) : Gen.NonEmptyListOf(point)
               select Lay(table, start, shapes);
    }

    private static List<PointDefinition> Lay(RegisterTable table, int start, IEnumerable<(int Gap, int Length)> shapes)
    {
        var points = new List<PointDefinition>();
        var address = start;
        foreach (var (gap, length) in shapes)
        {
            address += gap;
            points.Add(TestPoints.Span(table, address, length, points.Count));
            address += length;
        }

        return points;
    }

    private static Gen<ReadLimits> LimitsFor(int minLength) =>
        from registers in Gen.Choose(minLength, 30)
        from bits in Gen.Choose(1, 30)
        from registerGap in Gen.Choose(0, 8)
        from bitGap in Gen.Choose(0, 8)
        select new ReadLimits(registers, bits, registerGap, bitGap);

    public static Gen<PlanningCase> Cases { get; } =
        from maxLength in Gen.Choose(1, 6)
        from registers in PointsOf(RegisterTable.Holding, maxLength)
        from bits in PointsOf(RegisterTable.Coil, 1)
        from bothTables in Gen.Elements(true, false)
        from limits in LimitsFor(maxLength)
        select new PlanningCase(bothTables ? [.. registers, .. bits] : registers, limits);

    /// <summary>At most 8 points per table: a cluster (gaps of at most 8) then spans at most 8 × (8 + 6) = 112 &lt; 125 registers.</summary>
    public static Gen<PlanningCase> SmallCases { get; } =
        from maxLength in Gen.Choose(1, 6)
        from registers in PointsOf(RegisterTable.Holding, maxLength, maxPoints: 8)
        from bits in PointsOf(RegisterTable.Coil, 1, maxPoints: 8)
        from limits in LimitsFor(maxLength)
        select new PlanningCase([.. registers, .. bits], limits with
        {
            MaxRegistersPerRead = ReadLimits.ProtocolMaxRegisters,
            MaxBitsPerRead = ReadLimits.ProtocolMaxBits,
        });

    public static Arbitrary<PlanningCase> PlanningCases() => Cases.ToArbitrary();

    public static Arbitrary<RefusingDevice> RefusingDevices() =>
        (from c in Cases
         from missing in Gen.SubListOf(c.Points.SelectMany(p => Enumerable.Range(p.Address - 3, p.Length + 6).Where(a => a >= 0).Select(a => (p.Table, a))).Distinct())
         from keep in Gen.Choose(0, 4)
         select new RefusingDevice(c, missing.Take(keep).ToHashSet())).ToArbitrary();
}

[Properties(Arbitrary = [typeof(PlanningArbitraries)], MaxTest = 300)]
public sealed class PollPlannerProperties
{
    [Property]
    public bool Every_point_is_in_exactly_one_request_that_spans_it(PlanningCase c)
    {
        var requests = PollPlanner.Plan(c.Points, c.Limits);

        return c.Points.All(p =>
            requests.Count(r => r.Points.Contains(p)) == 1 &&
            requests.Single(r => r.Points.Contains(p)) is var r && r.Table == p.Table && r.Start <= p.Address && p.End <= r.End);
    }

    [Property]
    public bool No_request_exceeds_the_device_or_protocol_limits(PlanningCase c) =>
        PollPlanner.Plan(c.Points, c.Limits).All(r =>
            r.Count >= 1 &&
            r.Count <= c.Limits.MaxLength(r.Table) &&
            r.Count <= (r.Table.HoldsBits() ? ReadLimits.ProtocolMaxBits : ReadLimits.ProtocolMaxRegisters) &&
            r.Start >= 0 && r.End <= ushort.MaxValue + 1);

    [Property]
    public bool Requests_never_overlap(PlanningCase c) =>
        PollPlanner.Plan(c.Points, c.Limits).GroupBy(r => r.Table).All(table =>
            table.OrderBy(r => r.Start).Zip(table.OrderBy(r => r.Start).Skip(1)).All(pair => pair.First.End <= pair.Second.Start));

    [Property]
    public bool Requests_are_tight_and_fill_only_allowed_gaps(PlanningCase c) =>
        PollPlanner.Plan(c.Points, c.Limits).All(r =>
            r.Start == r.Points[0].Address &&
            r.End == r.Points[^1].End &&
            r.Points.Zip(r.Points.Skip(1)).All(pair => pair.Second.Address - pair.First.End is >= 0 and var gap && gap <= c.Limits.MaxGap(r.Table)));

    [Property]
    public bool Request_count_is_the_exhaustive_optimum(PlanningCase c) =>
        PollPlanner.Plan(c.Points, c.Limits).Count ==
        c.Points.GroupBy(p => p.Table).Sum(table => OptimalReads([.. table.OrderBy(p => p.Address)], c.Limits.MaxGap(table.Key), c.Limits.MaxLength(table.Key)));

    [Property]
    public Property Without_a_binding_length_limit_requests_are_the_gap_filled_clusters() =>
        Prop.ForAll(PlanningArbitraries.SmallCases.ToArbitrary(), c =>
        {
            var clusters = c.Points.GroupBy(p => p.Table).Sum(table =>
            {
                var sorted = table.OrderBy(p => p.Address).ToList();
                return 1 + sorted.Zip(sorted.Skip(1)).Count(pair => pair.Second.Address - pair.First.End > c.Limits.MaxGap(table.Key));
            });

            return PollPlanner.Plan(c.Points, c.Limits).Count == clusters;
        });

    [Property]
    public bool Splitting_after_refusals_loses_exactly_the_points_that_touch_a_missing_address(RefusingDevice device)
    {
        var plan = new PollPlan(device.Case.Points, device.Case.Limits);
        bool Refused(ReadRequest r) => Enumerable.Range(r.Start, r.Count).Any(a => device.Missing.Contains((r.Table, a)));

        var rounds = 0;
        while (plan.Requests.FirstOrDefault(Refused) is { } failing && rounds++ < 1000)
        {
            plan.ReportIllegalAddress(failing);
        }

        var expectedLost = device.Case.Points.Where(p => Enumerable.Range(p.Address, p.Length).Any(a => device.Missing.Contains((p.Table, a)))).ToHashSet();
        var read = plan.Requests.SelectMany(r => r.Points).ToList();
        return !plan.Requests.Any(Refused) &&
               plan.UnavailablePoints.ToHashSet().SetEquals(expectedLost) &&
               read.Count == device.Case.Points.Count - expectedLost.Count &&
               read.ToHashSet().SetEquals(device.Case.Points.Except(expectedLost)) &&
               plan.Requests.All(r => r.Count <= device.Case.Limits.MaxLength(r.Table));
    }

    /// <summary>The fewest reads by dynamic programming over every way to cut the sorted points into runs.</summary>
    private static int OptimalReads(IReadOnlyList<PointDefinition> sorted, int maxGap, int maxLength)
    {
        var best = new int[sorted.Count + 1];
        for (var end = 1; end <= sorted.Count; end++)
        {
            best[end] = int.MaxValue;
            for (var start = end - 1; start >= 0; start--)
            {
                if (start < end - 1 && sorted[start + 1].Address - sorted[start].End > maxGap)
                {
                    break;
                }

                if (sorted[end - 1].End - sorted[start].Address > maxLength)
                {
                    break;
                }

                best[end] = Math.Min(best[end], best[start] + 1);
            }
        }

        return best[sorted.Count];
    }
}
