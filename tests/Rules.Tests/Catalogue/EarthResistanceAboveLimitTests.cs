using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class EarthResistanceAboveLimitTests
{
    [Fact]
    public void Earth_resistance_above_4_ohm_for_two_readings_is_grade3_and_holds_until_below_3_8()
    {
        var plant = new EngineHarness(TestPlant.Night);

        foreach (var value in new[] { 3.5, 4.2, 4.3, 3.9, 4.1, 3.9, 3.7, 3.6 })
        {
            plant.Box("earth_resistance_ohm", value);
        }

        var high = Assert.Single(plant.Detected(FaultType.HighEarthResistance));
        Assert.Equal(FaultGrade.Grade3, high.Grade);
        var cleared = Assert.Single(plant.Cleared(FaultType.HighEarthResistance));
        Assert.Equal(TestPlant.Night.AddSeconds(70), cleared.At);
    }

    [Theory]
    [InlineData("mast-01", DeviceFamily.HighMast)]
    [InlineData("sc-01", DeviceFamily.StreetController)]
    public void A_mast_or_pole_reporting_its_earth_resistance_is_judged_by_the_same_limit(string device, DeviceFamily family)
    {
        var plant = new EngineHarness(TestPlant.Night);

        foreach (var value in new[] { 2.5, 6.0, 6.1, 3.0, 3.1 })
        {
            plant.Read(device, family, new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["earth_resistance_ohm"] = value });
        }

        var high = Assert.Single(plant.Detected(FaultType.HighEarthResistance));
        Assert.Equal(FaultGrade.Grade3, high.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, device), high.Asset);
        Assert.Single(plant.Cleared(FaultType.HighEarthResistance));
    }
}
