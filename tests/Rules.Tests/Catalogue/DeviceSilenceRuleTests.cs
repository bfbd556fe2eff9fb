using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class DeviceSilenceRuleTests
{
    [Fact]
    public void No_good_reading_for_three_poll_intervals_is_grade3_device_silent()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("insulation_mohm", 5);

        // box-01 polls every 15 s: 44 s after its reading is not yet three intervals, 45 s is.
        plant.Advance(TimeSpan.FromSeconds(34));
        plant.GatewayDelivers();
        plant.Tick();
        Assert.DoesNotContain(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");

        plant.Advance(TimeSpan.FromSeconds(1));
        plant.GatewayDelivers();
        plant.Tick();

        var silent = Assert.Single(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
        Assert.Equal(FaultGrade.Grade3, silent.Grade);
        Assert.Equal("crew-central", silent.Crew);
    }

    [Fact]
    public void Error_readings_do_not_count_as_hearing_from_the_device()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromSeconds(15) };
        plant.Box("insulation_mohm", 5);

        for (var i = 0; i < 3; i++)
        {
            plant.Read("box-01", DeviceFamily.DistributionBox, new Dictionary<string, ReadingValue>(), quality: ReadingQuality.Error);
        }

        plant.Tick();

        Assert.Single(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
    }

    [Fact]
    public void A_silent_device_is_reported_once_and_cleared_by_its_next_good_reading()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("insulation_mohm", 5);
        plant.Advance(TimeSpan.FromMinutes(2));
        plant.GatewayDelivers();
        plant.Tick();
        plant.Advance(TimeSpan.FromMinutes(2));
        plant.GatewayDelivers();
        plant.Tick();

        plant.Box("insulation_mohm", 5);

        Assert.Single(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
        Assert.Single(plant.Cleared(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
    }

    [Fact]
    public void A_device_that_never_reports_is_found_silent_while_its_gateway_delivers_others()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.GatewayDelivers();

        plant.Advance(TimeSpan.FromSeconds(90));
        plant.Mast(lit: 12);
        plant.Tick();

        Assert.Contains(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "eps-01");
        Assert.DoesNotContain(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "mast-01");
    }

    [Fact]
    public void A_device_silent_while_its_gateway_keeps_delivering_the_others_is_found_silent()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromSeconds(15) };
        plant.Box("insulation_mohm", 5);

        // The mast keeps reporting every 15 s; the box, due every 15 s too, is not heard again.
        for (var i = 0; i < 4; i++)
        {
            plant.Mast(lit: 12);
            plant.Tick();
        }

        var silent = Assert.Single(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
        Assert.Equal(60, silent.Evidence["silent_s"]);
        Assert.DoesNotContain(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "mast-01");
    }

    [Fact]
    public void A_gateway_that_delivers_nothing_at_all_opens_no_device_silent_ticket()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Advance(TimeSpan.FromHours(1));
        plant.Tick();

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void A_gateway_that_stopped_delivering_before_a_device_was_due_opens_no_device_silent_ticket()
    {
        // Rule: silent only if the gateway delivered a batch at or after the moment the device's limit ran out.
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("insulation_mohm", 5);
        plant.Advance(TimeSpan.FromSeconds(30));
        plant.GatewayDelivers();

        plant.Advance(TimeSpan.FromMinutes(30));
        plant.Tick();

        Assert.DoesNotContain(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
    }

    [Fact]
    public void Silence_is_not_judged_while_the_consumer_is_behind_and_is_judged_again_after()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("insulation_mohm", 5);
        plant.Advance(TimeSpan.FromMinutes(2));
        plant.GatewayDelivers();

        plant.Tick(judgeSilence: false);
        plant.Advance(TimeSpan.FromMinutes(2));
        plant.Tick(judgeSilence: false);
        Assert.Empty(plant.Detected(FaultType.DeviceSilent));

        plant.Tick();

        Assert.Single(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
    }

    [Fact]
    public void A_silent_device_stays_silent_while_the_consumer_is_behind()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("insulation_mohm", 5);
        plant.Advance(TimeSpan.FromMinutes(2));
        plant.GatewayDelivers();
        plant.Tick();

        plant.Advance(TimeSpan.FromMinutes(2));
        plant.Tick(judgeSilence: false);
        plant.Tick();

        Assert.Single(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "box-01");
        Assert.Empty(plant.Cleared(FaultType.DeviceSilent));
    }

    [Fact]
    public void Devices_of_an_offline_gateway_are_not_also_reported_silent()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);

        plant.Advance(TimeSpan.FromMinutes(10));
        plant.Tick();

        Assert.Empty(plant.Detected(FaultType.DeviceSilent));
        Assert.Single(plant.Detected(FaultType.GatewayOffline));
    }

    [Fact]
    public void Devices_get_their_full_limit_again_when_their_gateway_comes_back()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromMinutes(10));
        plant.State(GatewayStatus.Online);

        plant.Advance(TimeSpan.FromSeconds(20));
        plant.Tick();

        Assert.Empty(plant.Detected(FaultType.DeviceSilent));
    }

    [Fact]
    public void A_gateway_that_starts_delivering_after_Rules_gives_each_device_its_full_limit_from_its_first_batch()
    {
        // Rules watched the plant for ten minutes before the gateway came: nobody knew what it polled until then.
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.Zero };
        plant.Advance(TimeSpan.FromMinutes(10));
        plant.Mast(lit: 12);
        plant.Advance(TimeSpan.FromSeconds(89));
        plant.Mast(lit: 12);
        plant.Tick();
        Assert.DoesNotContain(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "eps-01");

        // eps-01 polls every 30 s: three intervals after the gateway's first batch, still unheard, it is silent.
        plant.Advance(TimeSpan.FromSeconds(1));
        plant.Mast(lit: 12);
        plant.Tick();
        Assert.Contains(plant.Detected(FaultType.DeviceSilent), d => d.Asset.Device == "eps-01");
    }
}
