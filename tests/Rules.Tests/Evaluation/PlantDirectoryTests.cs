using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

public sealed class PlantDirectoryTests
{
    [Fact]
    public void Devices_are_found_by_site_and_id_with_what_their_file_says()
    {
        var plant = new PlantDirectory([TestPlant.Site()]);

        var controller = plant.FindDevice(TestPlant.SiteId, "sc-01")!;

        Assert.Equal(DeviceFamily.StreetController, controller.Family);
        Assert.Equal(46, controller.LampsInstalled);
        Assert.Equal(24, controller.LampsOn(1));
        Assert.Equal(22, controller.LampsOn(2));
        Assert.Equal(0, controller.LampsOn(3));
        Assert.Equal(TimeSpan.FromSeconds(10), controller.PollInterval);
        Assert.Equal("crew-central", controller.Crew);
        Assert.Equal(CrewZone.Inner, controller.Zone);
        Assert.Equal(TestPlant.GatewayId, controller.Gateway.Id);
        Assert.Equal(TestPlant.Latitude, controller.Site.Latitude);
        Assert.Equal("Asia/Shanghai", controller.Site.TimeZone.Id);
        Assert.Null(plant.FindDevice(TestPlant.SiteId, "sc-99"));
        Assert.Null(plant.FindDevice("elsewhere", "sc-01"));
    }

    [Fact]
    public void A_gateway_belongs_to_the_crew_of_most_of_its_devices()
    {
        var plant = new PlantDirectory([TestPlant.Site()]);

        var gateway = plant.FindGateway(TestPlant.SiteId, TestPlant.GatewayId)!;

        Assert.Equal("crew-central", gateway.Crew);
        Assert.Equal(CrewZone.Inner, gateway.Zone);
    }

    [Fact]
    public void A_gateway_with_no_crew_of_its_own_takes_the_site_default()
    {
        var bare = TestPlant.Gateway("gw-2", [TestPlant.Device("ltc-09", "gw-2", DeviceFamily.LightTimeController, "sk-ltc4", 4, TimeSpan.FromSeconds(30))]);
        var plant = new PlantDirectory([TestPlant.Site(TestPlant.SiteId, bare)]);

        Assert.Equal("crew-central", plant.FindGateway(TestPlant.SiteId, "gw-2")!.Crew);
    }

    [Fact]
    public void Two_sites_with_one_id_are_refused() =>
        Assert.Throws<ArgumentException>(() => new PlantDirectory([TestPlant.Site(), TestPlant.Site()]));
}
