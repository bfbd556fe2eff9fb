using Telemetry.Api.Web.Operator;

namespace Telemetry.Api.Tests.Web;

/// <summary>The alarm list's order and what its sound is for.</summary>
public sealed class AlarmBoardTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Grade_1_is_on_top_and_within_a_grade_the_newest_first()
    {
        var rows = AlarmBoard.Order([Row("A", 3, 0), Row("B", 1, -30), Row("C", 2, 0), Row("D", 1, -5), Row("E", 3, -60)]);

        Assert.Equal(["D", "B", "C", "A", "E"], rows.Select(r => r.Number));
    }

    [Fact]
    public void The_alarm_sounds_for_grade_1_tickets_not_listed_before_only()
    {
        var before = new[] { Row("A", 1, -10), Row("B", 2, -10) };

        Assert.Equal(0, AlarmBoard.NewGradeOne(before, [Row("A", 1, -10), Row("C", 3, 0)]));
        Assert.Equal(2, AlarmBoard.NewGradeOne(before, [Row("A", 1, -10), Row("B", 1, -10), Row("D", 1, 0)]));
        Assert.Equal(0, AlarmBoard.NewGradeOne(before, []));
    }

    private static AlarmRow Row(string number, int grade, int minutes) =>
        new(number, grade, "total_dark", "demo/gw-demo-01/mast-01", "demo", "mast-01", Noon.AddMinutes(minutes), "open", "crew-north", null, false);
}
