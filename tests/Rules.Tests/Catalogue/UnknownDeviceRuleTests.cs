using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class UnknownDeviceRuleTests
{
    private static readonly Dictionary<string, ReadingValue> LowInsulation = new(StringComparer.Ordinal) { ["insulation_mohm"] = 0.1 };

    [Fact]
    public void A_device_no_site_file_knows_is_reported_once_as_grade4_and_not_evaluated()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 5; i++)
        {
            plant.Read("box-99", DeviceFamily.DistributionBox, LowInsulation);
        }

        var unknown = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.UnknownDevice, unknown.Fault);
        Assert.Equal(FaultGrade.Grade4, unknown.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "box-99"), unknown.Asset);
        Assert.Equal("crew-central", unknown.Crew);
    }

    [Fact]
    public void A_reading_from_a_site_no_file_knows_is_an_unknown_device_too()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Engine.OnReadings("elsewhere", "gw-9", new ReadingBatch
        {
            Gateway = "gw-9",
            Site = "elsewhere",
            Seq = 1,
            Sent = plant.Now,
            Readings = [new Reading { Device = "mast-01", Family = DeviceFamily.HighMast, Ts = plant.Now, Values = LowInsulation }],
        }, plant.Output);

        var unknown = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.UnknownDevice, unknown.Fault);
        Assert.Null(unknown.Crew);
        Assert.Equal(CrewZone.Inner, unknown.Zone);
    }

    [Fact]
    public void Identifiers_that_cannot_name_an_asset_are_ignored()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Read("no spaces allowed", DeviceFamily.DistributionBox, LowInsulation);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Adding_the_device_to_the_site_file_clears_it_on_its_next_reading()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Read("box-99", DeviceFamily.DistributionBox, LowInsulation);

        var devices = TestPlant.DefaultDevices(TestPlant.GatewayId).Append(
            TestPlant.Device("box-99", TestPlant.GatewayId, DeviceFamily.DistributionBox, "ak-dbm300", 0, TimeSpan.FromSeconds(15), crew: "crew-west", zone: CrewZone.Town));
        plant.Engine.ReplacePlant(new PlantDirectory([TestPlant.Site() with { Gateways = [TestPlant.Gateway(TestPlant.GatewayId, [.. devices])] }]));
        plant.Read("box-99", DeviceFamily.DistributionBox, LowInsulation);

        Assert.Single(plant.Cleared(FaultType.UnknownDevice));
    }
}
