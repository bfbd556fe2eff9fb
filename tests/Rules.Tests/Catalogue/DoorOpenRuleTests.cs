using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class DoorOpenRuleTests
{
    [Fact]
    public void A_door_open_for_five_minutes_is_grade3_door_open_on_the_device()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromSeconds(15) };

        for (var i = 0; i < 21; i++)
        {
            plant.Mast(lit: 12, door: true);
        }

        var door = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.DoorOpen, door.Fault);
        Assert.Equal(FaultGrade.Grade3, door.Grade);
        Assert.Equal(TestPlant.Night.AddMinutes(5), door.At);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "mast-01"), door.Asset);
    }

    [Fact]
    public void A_door_opened_and_closed_within_the_limit_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 4; i++)
        {
            plant.Mast(lit: 12, door: true);
        }

        plant.Mast(lit: 12);
        for (var i = 0; i < 4; i++)
        {
            plant.Mast(lit: 12, door: true);
        }

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Time_passing_reports_a_door_left_open_on_a_device_that_went_quiet()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Mast(lit: 12, door: true);

        plant.Advance(TimeSpan.FromMinutes(5));
        plant.Tick();

        Assert.Single(plant.Detected(FaultType.DoorOpen));
    }

    [Fact]
    public void A_door_left_open_is_judged_while_silence_is_not()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Mast(lit: 12, door: true);

        plant.Advance(TimeSpan.FromMinutes(5));
        plant.Tick(judgeSilence: false);

        Assert.Single(plant.Detected(FaultType.DoorOpen));
    }

    [Fact]
    public void Closing_the_door_clears_it()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(1) };
        for (var i = 0; i < 6; i++)
        {
            plant.Mast(lit: 12, door: true);
        }

        plant.Mast(lit: 12);

        Assert.Single(plant.Detected(FaultType.DoorOpen));
        Assert.Single(plant.Cleared(FaultType.DoorOpen));
    }
}
