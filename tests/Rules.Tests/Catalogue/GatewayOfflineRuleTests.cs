using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class GatewayOfflineRuleTests
{
    [Fact]
    public void Offline_past_the_grace_time_at_night_is_grade1()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);

        plant.Advance(TimeSpan.FromSeconds(29));
        plant.Tick();
        Assert.Empty(plant.Output);

        plant.Advance(TimeSpan.FromSeconds(1));
        plant.Tick();

        var offline = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.GatewayOffline, offline.Fault);
        Assert.Equal(FaultGrade.Grade1, offline.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId), offline.Asset);
    }

    [Fact]
    public void Offline_past_the_grace_time_by_day_is_grade2()
    {
        var plant = new EngineHarness(TestPlant.Noon);
        plant.State(GatewayStatus.Offline);

        plant.Advance(TimeSpan.FromMinutes(1));
        plant.Tick();

        Assert.Equal(FaultGrade.Grade2, Assert.Single(plant.Detected(FaultType.GatewayOffline)).Grade);
    }

    [Fact]
    public void Detected_by_day_and_still_offline_at_nightfall_is_reported_again_as_grade1_once()
    {
        // 16:00 CST; sunset in Shanghai on 22 November is about 17:00.
        var plant = new EngineHarness(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        plant.State(GatewayStatus.Offline);
        for (var minutes = 0; minutes < 180; minutes += 5)
        {
            plant.Advance(TimeSpan.FromMinutes(5));
            plant.Tick();
        }

        Assert.Collection(
            plant.Detected(FaultType.GatewayOffline),
            byDay => Assert.Equal(FaultGrade.Grade2, byDay.Grade),
            atNight => Assert.Equal(FaultGrade.Grade1, atNight.Grade));
    }

    [Fact]
    public void Online_again_clears_it()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromMinutes(1));
        plant.Tick();

        plant.State(GatewayStatus.Online);

        Assert.Single(plant.Detected(FaultType.GatewayOffline));
        Assert.Single(plant.Cleared(FaultType.GatewayOffline));
    }

    [Fact]
    public void A_restart_within_the_grace_time_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromSeconds(10));
        plant.Tick();
        plant.State(GatewayStatus.Online);
        plant.Advance(TimeSpan.FromMinutes(5));
        plant.Tick();

        Assert.DoesNotContain(plant.Output, t => t.Fault == FaultType.GatewayOffline);
    }

    [Fact]
    public void A_redelivered_offline_state_does_not_restart_the_grace_time()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromSeconds(20));
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromSeconds(10));
        plant.Tick();

        Assert.Single(plant.Detected(FaultType.GatewayOffline));
    }

    [Fact]
    public void Offline_is_not_judged_while_the_consumer_is_behind_and_is_judged_again_after()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromMinutes(5));

        plant.Tick(judgeSilence: false);
        plant.State(GatewayStatus.Offline);
        Assert.Empty(plant.Output);

        plant.Tick();

        Assert.Single(plant.Detected(FaultType.GatewayOffline));
    }

    [Fact]
    public void An_active_offline_fault_is_neither_cleared_nor_regraded_while_the_consumer_is_behind()
    {
        // 16:00 CST: detected by day, still offline after nightfall.
        var plant = new EngineHarness(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromMinutes(1));
        plant.Tick();

        plant.Advance(TimeSpan.FromHours(3));
        plant.Tick(judgeSilence: false);
        Assert.Equal(FaultGrade.Grade2, Assert.Single(plant.Detected(FaultType.GatewayOffline)).Grade);
        Assert.Empty(plant.Cleared(FaultType.GatewayOffline));

        plant.Tick();

        Assert.Equal(FaultGrade.Grade1, plant.Detected(FaultType.GatewayOffline).Last().Grade);
    }

    [Fact]
    public void The_fault_goes_to_the_crew_of_most_of_the_gateway_devices()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromMinutes(1));
        plant.Tick();

        var offline = Assert.Single(plant.Detected(FaultType.GatewayOffline));
        Assert.Equal("crew-central", offline.Crew);
        Assert.Equal(CrewZone.Inner, offline.Zone);
    }
}
