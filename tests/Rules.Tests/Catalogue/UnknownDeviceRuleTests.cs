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
    public void A_gateway_of_a_site_no_file_knows_is_one_grade4_fault_on_the_gateway_naming_how_many_devices_it_reported()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Deliver("elsewhere", "gw-9", Reading("mast-01", plant.Now), Reading("box-77", plant.Now), Reading("box-77", plant.Now), Reading("eps-3", plant.Now));
        plant.Deliver("elsewhere", "gw-9", Reading("mast-01", plant.Now), Reading("box-78", plant.Now));

        var unknown = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.UnknownDevice, unknown.Fault);
        Assert.Equal(FaultGrade.Grade4, unknown.Grade);
        Assert.Equal(new AssetRef("elsewhere", "gw-9"), unknown.Asset);
        Assert.Equal("gateway gw-9 reports 3 device ids but no site file describes site elsewhere", unknown.Summary);
        Assert.Equal(3, unknown.Evidence["device_ids"]);
        Assert.Null(unknown.Crew);
        Assert.Equal(CrewZone.Inner, unknown.Zone);
    }

    [Fact]
    public void A_gateway_its_site_file_does_not_list_is_one_fault_and_the_devices_the_file_knows_are_still_judged()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 3; i++)
        {
            plant.Deliver(TestPlant.SiteId, "gw-new", Reading("box-01", plant.Now), Reading("box-99", plant.Now));
            plant.Advance(TimeSpan.FromSeconds(10));
        }

        var unknown = Assert.Single(plant.Detected(FaultType.UnknownDevice));
        Assert.Equal(new AssetRef(TestPlant.SiteId, "gw-new"), unknown.Asset);
        Assert.Equal("gateway gw-new reports 2 device ids but no site file of site shanghai lists the gateway", unknown.Summary);
        Assert.Equal("crew-central", unknown.Crew);
        Assert.Equal(new AssetRef(TestPlant.SiteId, "gw-new", "box-01"), Assert.Single(plant.Detected(FaultType.LowInsulation)).Asset);
    }

    [Fact]
    public void Listing_the_gateway_in_its_site_file_clears_its_fault_on_its_next_batch()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Deliver(TestPlant.SiteId, "gw-2", Reading("box-21", plant.Now));

        var gateway2 = TestPlant.Gateway("gw-2", [TestPlant.Device("box-21", "gw-2", DeviceFamily.DistributionBox, "ak-dbm300", 0, TimeSpan.FromSeconds(15))]);
        plant.Engine.ReplacePlant(new PlantDirectory([TestPlant.Site(TestPlant.SiteId, gateway2)]));
        plant.Deliver(TestPlant.SiteId, "gw-2", Reading("box-21", plant.Now));

        Assert.Single(plant.Detected(FaultType.UnknownDevice));
        Assert.Equal(new AssetRef(TestPlant.SiteId, "gw-2"), Assert.Single(plant.Cleared(FaultType.UnknownDevice)).Asset);
    }

    [Fact]
    public void A_restored_unknown_gateway_fault_is_not_detected_again()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(new AssetRef("elsewhere", "gw-9"), FaultType.UnknownDevice)]);

        plant.Deliver("elsewhere", "gw-9", Reading("box-1", plant.Now));

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void A_hundred_unknown_gateways_get_at_most_the_cap_of_sessions_and_one_fault_each()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var cap = RuleEngineLimits.Default.MaxUnknownGateways;

        for (var g = 0; g < 100; g++)
        {
            for (var batch = 0; batch < 2; batch++)
            {
                plant.Deliver($"invented-{g}", $"gw-{g}", Reading("dev-a", plant.Now), Reading("dev-b", plant.Now), Reading($"dev-{g}", plant.Now));
            }
        }

        var unknown = plant.Detected(FaultType.UnknownDevice).ToList();
        Assert.Equal(cap, unknown.Count);
        Assert.All(unknown, u => Assert.Null(u.Asset.Device));
        Assert.Equal(cap, unknown.Select(u => u.Asset.Gateway).Distinct().Count());
        Assert.Equal(1 + cap, plant.Engine.GatewaySessions);
        Assert.Equal((100 - cap) * 2 * 3, plant.Engine.RefusedUnknownSources);
    }

    [Fact]
    public void A_thousand_invented_device_ids_on_a_known_gateway_give_at_most_the_cap_of_faults()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var cap = RuleEngineLimits.Default.MaxUnknownDevicesPerGateway;

        for (var d = 0; d < 1000; d++)
        {
            plant.Deliver(TestPlant.SiteId, TestPlant.GatewayId, Reading($"invented-{d}", plant.Now));
        }

        Assert.Equal(cap, plant.Detected(FaultType.UnknownDevice).Count());
        Assert.All(plant.Detected(FaultType.UnknownDevice), u => Assert.NotNull(u.Asset.Device));
        Assert.Equal(1000 - cap, plant.Engine.RefusedUnknownSources);
    }

    [Fact]
    public void Devices_the_site_file_lists_are_never_refused_by_the_caps()
    {
        var limits = new RuleEngineLimits { MaxUnknownGateways = 0, MaxUnknownDevicesPerGateway = 0 };
        var plant = new EngineHarness(TestPlant.Night, limits);
        plant.Deliver(TestPlant.SiteId, TestPlant.GatewayId, Reading("box-99", plant.Now));
        plant.Deliver("elsewhere", "gw-9", Reading("box-1", plant.Now));

        for (var i = 0; i < 3; i++)
        {
            plant.Box("insulation_mohm", 0.1);
        }

        Assert.Empty(plant.Detected(FaultType.UnknownDevice));
        Assert.Equal(2, plant.Engine.RefusedUnknownSources);
        Assert.Single(plant.Detected(FaultType.LowInsulation));
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

    private static Reading Reading(string device, DateTimeOffset ts) => new()
    {
        Device = device,
        Family = DeviceFamily.DistributionBox,
        Ts = ts,
        Values = LowInsulation,
    };
}
