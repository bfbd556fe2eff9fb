using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

public sealed class HeldConditionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void Detected_once_when_held_for_the_limit_and_cleared_when_it_stops()
    {
        var condition = new HeldCondition();

        Assert.Equal(ConditionChange.None, condition.Observe(true, T0, Limit));
        Assert.Equal(ConditionChange.None, condition.Observe(true, T0.AddMinutes(4), Limit));
        Assert.Equal(ConditionChange.Detected, condition.Observe(true, T0.AddMinutes(5), Limit));
        Assert.Equal(ConditionChange.None, condition.Observe(true, T0.AddMinutes(6), Limit));
        Assert.Equal(ConditionChange.Cleared, condition.Observe(false, T0.AddMinutes(7), Limit));
        Assert.Null(condition.Since);
    }

    [Fact]
    public void Time_alone_can_reach_the_limit()
    {
        var condition = new HeldCondition();
        condition.Observe(true, T0, Limit);

        Assert.Equal(ConditionChange.None, condition.Check(T0.AddMinutes(4), Limit));
        Assert.Equal(ConditionChange.Detected, condition.Check(T0.AddMinutes(5), Limit));
        Assert.Equal(ConditionChange.None, condition.Check(T0.AddMinutes(9), Limit));
    }

    [Fact]
    public void A_break_starts_the_count_again()
    {
        var condition = new HeldCondition();
        condition.Observe(true, T0, Limit);
        condition.Observe(false, T0.AddMinutes(4), Limit);

        Assert.Equal(ConditionChange.None, condition.Observe(true, T0.AddMinutes(5), Limit));
        Assert.Equal(ConditionChange.None, condition.Check(T0.AddMinutes(9), Limit));
    }
}
