using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class BreakerTrippedRuleTests
{
    private static readonly AssetRef BoxAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "box-01");
    private static readonly AssetRef Outgoing3 = new(TestPlant.SiteId, TestPlant.GatewayId, "box-01", "3");

    [Fact]
    public void An_outgoing_breaker_open_for_two_readings_is_grade2_on_its_outgoing_circuit_and_clears_when_closed()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, open: null);
        Box(plant, open: 3);
        Box(plant, open: 3);
        Box(plant, open: 3);
        Box(plant, open: null);
        Box(plant, open: null);

        var tripped = Assert.Single(plant.Detected(FaultType.BreakerTripped));
        Assert.Equal(FaultGrade.Grade2, tripped.Grade);
        Assert.Equal(Outgoing3, tripped.Asset);
        Assert.StartsWith("outgoing breaker 3 open", tripped.Summary, StringComparison.Ordinal);
        Assert.Equal(3, tripped.Evidence["breaker"]);
        Assert.Equal("crew-central", tripped.Crew);
        var cleared = Assert.Single(plant.Cleared(FaultType.BreakerTripped));
        Assert.Equal(Outgoing3, cleared.Asset);
    }

    [Fact]
    public void The_main_breaker_open_at_night_is_grade1_on_the_box()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, open: 0);
        Box(plant, open: 0);

        var main = Assert.Single(plant.Detected(FaultType.BreakerTripped));
        Assert.Equal(FaultGrade.Grade1, main.Grade);
        Assert.Equal(BoxAsset, main.Asset);
        Assert.Contains("at night", main.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_main_breaker_open_by_day_is_grade2_and_raised_to_grade1_when_night_falls_with_it_still_open()
    {
        var plant = new EngineHarness(TestPlant.Noon);
        Box(plant, open: 0);
        Box(plant, open: 0);
        Assert.Equal(FaultGrade.Grade2, Assert.Single(plant.Detected(FaultType.BreakerTripped)).Grade);

        plant.Advance(TimeSpan.FromHours(8));
        Box(plant, open: 0);
        Box(plant, open: 0);

        Assert.Equal([FaultGrade.Grade2, FaultGrade.Grade1], plant.Detected(FaultType.BreakerTripped).Select(d => d.Grade));
        Assert.All(plant.Detected(FaultType.BreakerTripped), d => Assert.Equal(BoxAsset, d.Asset));
    }

    [Fact]
    public void One_reading_open_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, open: 5);
        Box(plant, open: null);
        Box(plant, open: 5);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Restored_breaker_faults_are_not_detected_again_and_each_clears_on_its_own_asset()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(BoxAsset, FaultType.BreakerTripped), (Outgoing3, FaultType.BreakerTripped)]);

        var mainAndThreeOpen = Values(open: 0);
        mainAndThreeOpen["breaker_3_closed"] = false;
        for (var i = 0; i < 3; i++)
        {
            plant.Read("box-01", DeviceFamily.DistributionBox, mainAndThreeOpen);
        }

        Assert.Empty(plant.Output);
        Box(plant, open: null);
        Box(plant, open: null);

        Assert.Equal([BoxAsset, Outgoing3], plant.Cleared(FaultType.BreakerTripped).Select(c => c.Asset).OrderBy(a => a.Key, StringComparer.Ordinal));
    }

    private static void Box(EngineHarness plant, int? open) => plant.Read("box-01", DeviceFamily.DistributionBox, Values(open));

    /// <summary>A box with breaker <paramref name="open"/> open (0 the main) and every other one closed.</summary>
    private static Dictionary<string, ReadingValue> Values(int? open)
    {
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["supply_present"] = true,
            ["breaker_main_closed"] = open != 0,
        };
        for (var n = 1; n <= 8; n++)
        {
            values[$"breaker_{n}_closed"] = open != n;
        }

        return values;
    }
}
