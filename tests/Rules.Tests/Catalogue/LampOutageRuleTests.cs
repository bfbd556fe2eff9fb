using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class LampOutageRuleTests
{
    [Fact]
    public void Twelve_lamps_five_dark_opens_exactly_one_grade2_mast_outage()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 5; i++)
        {
            plant.Mast(lit: 7);
        }

        var outage = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.MastOutage, outage.Fault);
        Assert.Equal(FaultGrade.Grade2, outage.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "mast-01"), outage.Asset);
        Assert.Equal(5, outage.Evidence["lamps_dark"]);
        Assert.Equal("crew-masts", outage.Crew);
        Assert.Equal(CrewZone.Second, outage.Zone);
    }

    [Fact]
    public void Twelve_lamps_four_dark_opens_one_grade3_single_lamps_dark_and_no_outage()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 5; i++)
        {
            plant.Mast(lit: 8);
        }

        var single = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.SingleLampsDark, single.Fault);
        Assert.Equal(FaultGrade.Grade3, single.Grade);
        Assert.Empty(plant.Detected(FaultType.MastOutage));
    }

    [Fact]
    public void Twelve_lamps_all_dark_opens_grade1_total_dark()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Mast(lit: 0);
        plant.Mast(lit: 0);

        var total = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.TotalDark, total.Fault);
        Assert.Equal(FaultGrade.Grade1, total.Grade);
    }

    [Fact]
    public void Repaired_mast_clears_its_outage()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Mast(lit: 7);
        plant.Mast(lit: 7);

        plant.Mast(lit: 12);
        plant.Mast(lit: 12);

        Assert.Single(plant.Detected(FaultType.MastOutage));
        Assert.Single(plant.Cleared(FaultType.MastOutage));
        Assert.Equal(2, plant.Output.Count);
    }

    [Fact]
    public void A_single_reading_is_not_enough_to_open_a_lamp_fault()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Mast(lit: 7);
        plant.Mast(lit: 12);
        plant.Mast(lit: 7);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Moving_from_single_lamps_to_outage_clears_one_and_detects_the_other()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Mast(lit: 10);
        plant.Mast(lit: 10);

        plant.Mast(lit: 6);
        plant.Mast(lit: 6);

        Assert.Collection(
            plant.Output,
            t => Assert.Equal((FaultType.SingleLampsDark, true), (t.Fault, t is FaultDetected)),
            t => Assert.Equal((FaultType.SingleLampsDark, false), (t.Fault, t is FaultDetected)),
            t => Assert.Equal((FaultType.MastOutage, true), (t.Fault, t is FaultDetected)));
    }

    [Fact]
    public void Commanded_off_neither_trips_nor_clears()
    {
        var plant = new EngineHarness(TestPlant.Night);
        for (var i = 0; i < 3; i++)
        {
            plant.Mast(lit: 0, commanded: false);
        }

        Assert.Empty(plant.Output);

        plant.Mast(lit: 7);
        plant.Mast(lit: 7);
        for (var i = 0; i < 3; i++)
        {
            plant.Mast(lit: 0, commanded: false);
        }

        Assert.Single(plant.Detected(FaultType.MastOutage));
        Assert.Empty(plant.Cleared(FaultType.MastOutage));
    }

    [Fact]
    public void Supply_lost_at_night_is_total_dark_even_when_commanded_off()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Mast(lit: 0, commanded: false, supply: false);
        plant.Mast(lit: 0, commanded: false, supply: false);

        var total = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.TotalDark, total.Fault);
        Assert.Equal(FaultGrade.Grade1, total.Grade);
        Assert.Contains("supply lost", total.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Supply_lost_by_day_with_the_lighting_off_is_not_a_lamp_fault()
    {
        var plant = new EngineHarness(TestPlant.Noon);

        plant.Mast(lit: 0, commanded: false, supply: false);
        plant.Mast(lit: 0, commanded: false, supply: false);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void The_site_file_supplies_the_lamp_count_when_the_reading_lacks_it()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Mast(lit: 7, installed: null);
        plant.Mast(lit: 7, installed: null);

        var outage = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.MastOutage, outage.Fault);
        Assert.Equal(12, outage.Evidence["lamps_installed"]);
    }

    [Fact]
    public void A_street_controller_circuit_is_its_own_asset_and_uses_its_own_lamp_count()
    {
        var plant = new EngineHarness(TestPlant.Night);

        // Circuit 2 has 22 lamps in the site file: 12 lit is 10 dark, 45 %, above the 40 % ratio.
        plant.Circuit("2", commanded: true, contactor: true, lit: 12, currentPerPhase: 3);
        plant.Circuit("2", commanded: true, contactor: true, lit: 12, currentPerPhase: 3);

        var outage = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.MastOutage, outage.Fault);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "sc-01", "2"), outage.Asset);
        Assert.Equal("crew-central", outage.Crew);
    }

    [Fact]
    public void A_closed_contactor_counts_as_lighting_due_on_even_when_not_commanded()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Circuit("1", commanded: false, contactor: true, lit: 0, currentPerPhase: 0, installed: 24);
        plant.Circuit("1", commanded: false, contactor: true, lit: 0, currentPerPhase: 0, installed: 24);

        Assert.Equal(FaultType.TotalDark, Assert.Single(plant.Output.OfType<FaultDetected>()).Fault);
    }

    [Fact]
    public void An_error_reading_does_not_break_or_move_a_lamp_fault()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Mast(lit: 7);
        plant.Read("mast-01", DeviceFamily.HighMast, new Dictionary<string, ReadingValue>(), quality: ReadingQuality.Error);
        plant.Mast(lit: 7);

        Assert.Single(plant.Detected(FaultType.MastOutage));
    }
}
