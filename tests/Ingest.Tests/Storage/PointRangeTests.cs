using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class PointRangeTests
{
    public static TheoryData<int[], int> Cuts => new()
    {
        // Message sizes in bytes (0: no points), and where the second part starts.
        { [100, 100], 1 },
        { [100, 100, 100, 100], 2 },
        { [10, 10, 10, 300], 3 },
        { [300, 10, 10, 10], 1 },
        { [100, 100, 100], 1 },
        { [0, 0, 100, 0, 100, 0], 3 },
        { [0, 100, 100], 2 },
        { [100, 0, 0, 0, 0, 0, 0, 100], 1 },
    };

    [Theory]
    [MemberData(nameof(Cuts))]
    public void A_write_too_large_is_cut_at_the_message_boundary_nearest_its_middle_with_points_on_both_sides(int[] sizes, int cut)
    {
        var ranges = Ranges(sizes);

        var at = PointRange.Halve(ranges);

        Assert.Equal(cut, at);
        Assert.Contains(ranges[..at], r => !r.IsEmpty);
        Assert.Contains(ranges[at..], r => !r.IsEmpty);
    }

    [Theory]
    [InlineData(new[] { 100 })]
    [InlineData(new[] { 0, 100, 0 })]
    [InlineData(new[] { 0, 0 })]
    [InlineData(new int[0])]
    public void A_write_with_one_message_of_points_cannot_be_cut(int[] sizes) =>
        Assert.Equal(-1, PointRange.Halve(Ranges(sizes)));

    [Fact]
    public void Cutting_again_and_again_ends_with_every_message_of_points_alone()
    {
        var ranges = Ranges([.. Enumerable.Range(0, 37).Select(i => i % 5 == 0 ? 0 : 50 + (i * 7 % 30))]);
        var alone = new List<int>();
        Cut(0, ranges.Length);

        Assert.Equal(Enumerable.Range(0, ranges.Length).Where(i => !ranges[i].IsEmpty), alone.Order());

        void Cut(int from, int to)
        {
            var at = PointRange.Halve(ranges.AsSpan(from, to - from));
            if (at < 0)
            {
                alone.AddRange(Enumerable.Range(from, to - from).Where(i => !ranges[i].IsEmpty));
                return;
            }

            Cut(from, from + at);
            Cut(from + at, to);
        }
    }

    private static PointRange[] Ranges(int[] sizes)
    {
        var ranges = new PointRange[sizes.Length];
        var at = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            ranges[i] = new PointRange(at, at + sizes[i]);
            at += sizes[i];
        }

        return ranges;
    }
}
