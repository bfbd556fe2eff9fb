using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class LeakageAboveLimitTests
{
    [Fact]
    public void Leakage_above_30_milliamps_for_the_debounce_is_grade2_high_leakage_and_clears_below_25()
    {
        var plant = new EngineHarness(TestPlant.Night);

        foreach (var value in new[] { 12.0, 31, 33, 35, 28, 32, 27, 24, 22, 20 })
        {
            plant.Box("residual_current_ma", value);
        }

        var high = Assert.Single(plant.Detected(FaultType.HighLeakage));
        Assert.Equal(FaultGrade.Grade2, high.Grade);
        Assert.Equal(35, high.Evidence["residual_current_ma"]);
        Assert.Single(plant.Cleared(FaultType.HighLeakage));
        Assert.Equal(2, plant.Output.Count);
    }

    [Fact]
    public void Leakage_between_clear_and_trip_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 10; i++)
        {
            plant.Box("residual_current_ma", 29);
        }

        Assert.Empty(plant.Output);
    }
}
