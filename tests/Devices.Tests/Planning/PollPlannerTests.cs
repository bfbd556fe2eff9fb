using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Xunit;
using static Telemetry.Devices.Tests.TestPoints;

namespace Telemetry.Devices.Tests.Planning;

public sealed class PollPlannerTests
{
    private static readonly ReadLimits Gap2 = new(125, 2000, 2, 2);

    private static IEnumerable<(RegisterTable, int, int)> Shape(IEnumerable<ReadRequest> requests) =>
        requests.Select(r => (r.Table, r.Start, r.Count));

    [Fact]
    public void Contiguous_points_are_read_in_one_request()
    {
        var points = new[] { Span(RegisterTable.Input, 0, 1), Span(RegisterTable.Input, 1, 2), Span(RegisterTable.Input, 3, 4) };

        var request = Assert.Single(PollPlanner.Plan(points, ReadLimits.Protocol));

        Assert.Equal((RegisterTable.Input, 0, 7), (request.Table, request.Start, request.Count));
        Assert.Equal(4, request.FunctionCode);
        Assert.False(request.HasGaps);
    }

    [Fact]
    public void Gaps_up_to_the_limit_are_filled_and_wider_ones_split()
    {
        var points = new[] { Span(RegisterTable.Holding, 0, 2), Span(RegisterTable.Holding, 4, 1), Span(RegisterTable.Holding, 8, 1) };

        var requests = PollPlanner.Plan(points, Gap2);

        Assert.Equal([(RegisterTable.Holding, 0, 5), (RegisterTable.Holding, 8, 1)], Shape(requests));
        Assert.True(requests[0].HasGaps);
    }

    [Fact]
    public void Device_maximum_per_read_is_honoured_without_splitting_a_point()
    {
        var points = Enumerable.Range(0, 5).Select(i => Span(RegisterTable.Input, 2 * i, 2)).ToList();

        var requests = PollPlanner.Plan(points, new ReadLimits(5, 2000, 0, 0));

        Assert.Equal([(RegisterTable.Input, 0, 4), (RegisterTable.Input, 4, 4), (RegisterTable.Input, 8, 2)], Shape(requests));
    }

    [Fact]
    public void Protocol_maxima_cap_register_and_bit_reads()
    {
        var registers = Enumerable.Range(0, 300).Select(i => Span(RegisterTable.Holding, i, 1));
        var bits = Enumerable.Range(0, 4100).Select(i => Span(RegisterTable.Coil, i, 1));

        var requests = PollPlanner.Plan(registers.Concat(bits), ReadLimits.Protocol);

        Assert.Equal(
            [
                (RegisterTable.Coil, 0, 2000), (RegisterTable.Coil, 2000, 2000), (RegisterTable.Coil, 4000, 100),
                (RegisterTable.Holding, 0, 125), (RegisterTable.Holding, 125, 125), (RegisterTable.Holding, 250, 50),
            ],
            Shape(requests));
    }

    [Fact]
    public void Tables_are_planned_apart_even_at_the_same_addresses()
    {
        var points = new[] { Span(RegisterTable.Input, 0, 1), Span(RegisterTable.Holding, 1, 1), Span(RegisterTable.DiscreteInput, 0, 1), Span(RegisterTable.Coil, 0, 1) };

        var requests = PollPlanner.Plan(points, Gap2);

        Assert.Equal(
            [RegisterTable.Coil, RegisterTable.DiscreteInput, RegisterTable.Holding, RegisterTable.Input],
            requests.Select(r => r.Table));
    }

    [Fact]
    public void Bit_gap_limit_applies_to_coils_and_register_gap_to_registers()
    {
        var points = new[] { Span(RegisterTable.Coil, 0, 1), Span(RegisterTable.Coil, 5, 1), Span(RegisterTable.Input, 0, 1), Span(RegisterTable.Input, 5, 1) };

        var requests = PollPlanner.Plan(points, new ReadLimits(125, 2000, 0, 4));

        Assert.Equal([(RegisterTable.Coil, 0, 6), (RegisterTable.Input, 0, 1), (RegisterTable.Input, 5, 1)], Shape(requests));
    }

    [Fact]
    public void Overlapping_points_are_refused()
    {
        var points = new[] { Span(RegisterTable.Input, 0, 2), Span(RegisterTable.Input, 1, 1) };

        Assert.Throws<ArgumentException>(() => PollPlanner.Plan(points, ReadLimits.Protocol));
    }

    [Fact]
    public void Point_longer_than_a_read_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PollPlanner.Plan([Span(RegisterTable.Input, 0, 10)], new ReadLimits(8, 8, 0, 0)));
    }

    [Fact]
    public void Street_controller_is_read_in_one_request_per_circuit_block()
    {
        var profile = ProfileLoader.LoadFile(Path.Combine(RepositoryLayout.ProfilesDirectory, "mg-slc4.json"));

        var requests = PollPlan.For(profile).Requests;

        Assert.Equal(
            [
                (RegisterTable.Coil, 0, 4), (RegisterTable.Coil, 16, 1),
                (RegisterTable.DiscreteInput, 0, 12),
                (RegisterTable.Input, 0, 11),
                (RegisterTable.Input, 256, 13), (RegisterTable.Input, 288, 13), (RegisterTable.Input, 320, 13), (RegisterTable.Input, 352, 13),
            ],
            Shape(requests));
    }

    [Fact]
    public void Split_of_a_gap_filled_read_drops_the_gaps_first()
    {
        var points = new[] { Span(RegisterTable.Holding, 0, 1), Span(RegisterTable.Holding, 1, 1), Span(RegisterTable.Holding, 3, 1) };
        var failed = Assert.Single(PollPlanner.Plan(points, Gap2));

        var outcome = PollPlanner.Split(failed);

        Assert.Null(outcome.Unavailable);
        Assert.Equal([(RegisterTable.Holding, 0, 2), (RegisterTable.Holding, 3, 1)], Shape(outcome.Replacements));
    }

    [Fact]
    public void Split_of_a_contiguous_read_halves_it()
    {
        var points = Enumerable.Range(0, 5).Select(i => Span(RegisterTable.Input, i, 1)).ToList();
        var failed = Assert.Single(PollPlanner.Plan(points, ReadLimits.Protocol));

        var outcome = PollPlanner.Split(failed);

        Assert.Equal([(RegisterTable.Input, 0, 2), (RegisterTable.Input, 2, 3)], Shape(outcome.Replacements));
    }

    [Fact]
    public void Split_of_a_single_point_gives_it_up()
    {
        var point = Span(RegisterTable.Input, 7, 2);
        var failed = Assert.Single(PollPlanner.Plan([point], ReadLimits.Protocol));

        var outcome = PollPlanner.Split(failed);

        Assert.Empty(outcome.Replacements);
        Assert.Same(point, outcome.Unavailable);
    }

    [Fact]
    public void One_missing_register_costs_only_its_point()
    {
        // A device whose firmware lacks register 5, asked for 0..9 in one read.
        var points = Enumerable.Range(0, 10).Select(i => Span(RegisterTable.Holding, i, 1)).ToList();
        var plan = new PollPlan(points, ReadLimits.Protocol);
        var failures = 0;

        while (plan.Requests.FirstOrDefault(r => r.Start <= 5 && 5 < r.End) is { } failing)
        {
            plan.ReportIllegalAddress(failing);
            failures++;
        }

        Assert.Equal([5], plan.UnavailablePoints.Select(p => p.Address));
        Assert.Equal(9, plan.Requests.Sum(r => r.Points.Count));
        Assert.Equal(4, failures); // 0..9, then 5..9, then 5..6, then 5 alone
        Assert.Equal([(RegisterTable.Holding, 0, 5), (RegisterTable.Holding, 6, 1), (RegisterTable.Holding, 7, 3)], Shape(plan.Requests));
    }

    [Fact]
    public void Reporting_a_read_that_is_not_in_the_plan_is_an_error()
    {
        var plan = new PollPlan([Span(RegisterTable.Input, 0, 1), Span(RegisterTable.Input, 1, 1)], ReadLimits.Protocol);
        var failed = plan.Requests[0];
        plan.ReportIllegalAddress(failed);

        Assert.Throws<InvalidOperationException>(() => plan.ReportIllegalAddress(failed));
    }
}
