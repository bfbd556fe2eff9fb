using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

public sealed class DebouncedConditionTests
{
    [Fact]
    public void Becomes_active_after_n_consecutive_readings_past_the_trip_level()
    {
        var condition = new DebouncedCondition();

        Assert.Equal(ConditionChange.None, condition.Observe(pastTrip: true, pastClear: false, readings: 3));
        Assert.Equal(ConditionChange.None, condition.Observe(pastTrip: true, pastClear: false, readings: 3));
        Assert.Equal(ConditionChange.Detected, condition.Observe(pastTrip: true, pastClear: false, readings: 3));
        Assert.Equal(ConditionChange.None, condition.Observe(pastTrip: true, pastClear: false, readings: 3));
        Assert.True(condition.Active);
    }

    [Fact]
    public void A_reading_inside_the_band_breaks_the_run_towards_either_level()
    {
        var condition = new DebouncedCondition();
        condition.Observe(true, false, 2);
        condition.Observe(false, false, 2);
        Assert.Equal(ConditionChange.None, condition.Observe(true, false, 2));
        Assert.Equal(ConditionChange.Detected, condition.Observe(true, false, 2));

        condition.Observe(false, true, 2);
        condition.Observe(false, false, 2);
        Assert.Equal(ConditionChange.None, condition.Observe(false, true, 2));
        Assert.Equal(ConditionChange.Cleared, condition.Observe(false, true, 2));
        Assert.False(condition.Active);
    }

    [Fact]
    public void A_restored_condition_is_active_and_reports_nothing_until_it_clears()
    {
        var condition = new DebouncedCondition();
        condition.Reconcile(active: true);

        Assert.Equal(ConditionChange.None, condition.Observe(true, false, 1));
        Assert.Equal(ConditionChange.Cleared, condition.Observe(false, true, 1));
    }

    /// <summary>
    /// Low insulation as a sequence of values: the condition can open at most once per excursion from above the clear
    /// level to below the trip level (starting healthy), however the values wander, so tickets never flap.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property Detections_never_exceed_crossings_from_above_clear_to_below_trip()
    {
        const double trip = 0.5, clear = 0.6;
        var value = Gen.Elements(0.3, 0.45, 0.5, 0.55, 0.6, 0.65, 1.0);
        var cases = from values in Gen.ArrayOf(value)
                    from readings in Gen.Choose(1, 4)
                    select (Values: values, Readings: readings);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (values, readings) = c;
            var condition = new DebouncedCondition();
            var detections = 0;
            var crossings = 0;
            var healthy = true;
            foreach (var v in values)
            {
                if (healthy && v < trip)
                {
                    crossings++;
                    healthy = false;
                }
                else if (v > clear)
                {
                    healthy = true;
                }

                if (condition.Observe(v < trip, v > clear, readings) == ConditionChange.Detected)
                {
                    detections++;
                }
            }

            return detections <= crossings;
        });
    }
}
