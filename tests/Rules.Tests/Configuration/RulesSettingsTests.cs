using Telemetry.Rules.Configuration;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Configuration;

public sealed class RulesSettingsTests
{
    [Fact]
    public void Every_hostile_setting_is_named_in_its_own_problem()
    {
        var rules = new RulesSettings
        {
            SiteFiles = ["/nowhere/site.json"],
            ProfilesDirectory = "/nowhere/profiles",
            Database = " ",
            ServiceUnit = "yw-1",
            TimeZone = "Mars/Olympus",
            TickInterval = TimeSpan.Zero,
            MaxPayloadBytes = 10,
            ReplayWindow = TimeSpan.FromSeconds(30),
            MaxFuture = TimeSpan.FromSeconds(-1),
            MaxUnknownGateways = 0,
            MaxUnknownDevicesPerGateway = 10_001,
        }.Validate().ToList();
        var alerts = new AlertSettings
        {
            SupervisorChannel = "a/b",
            Webhooks = [new WebhookSettings { Name = "mqtt", Url = new Uri("ftp://x/"), Timeout = TimeSpan.FromHours(1) }],
            FirstRetryDelay = TimeSpan.FromMinutes(10),
        }.Validate().ToList();
        var timeline = new TimelineSettings { Url = new Uri("file:///tmp/x"), Database = "tele metry" }.Validate().ToList();

        Assert.Equal(
            ["Rules:SiteFiles", "Rules:ProfilesDirectory", "Rules:Database", "Rules:ServiceUnit", "Rules:TimeZone", "Rules:TickInterval", "Rules:MaxPayloadBytes",
                "Rules:ReplayWindow", "Rules:MaxFuture", "Rules:MaxUnknownGateways", "Rules:MaxUnknownDevicesPerGateway"],
            rules.Select(Key));
        Assert.Equal(
            ["Alerts:SupervisorChannel", "Alerts:Webhooks:0:Name", "Alerts:Webhooks:0:Url", "Alerts:Webhooks:0:Timeout", "Alerts:FirstRetryDelay"],
            alerts.Select(Key));
        Assert.Equal(["Influx:Url", "Influx:Database"], timeline.Select(Key));
    }

    [Fact]
    public void A_site_list_that_is_empty_is_refused()
    {
        Assert.Contains(new RulesSettings { Database = "x.db" }.Validate(), p => p.StartsWith("Rules:SiteFiles", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:59", false)]
    [InlineData("00:01:00", true)]
    [InlineData("30.00:00:00", true)]
    [InlineData("30.00:00:01", false)]
    public void The_replay_window_must_be_one_minute_to_thirty_days(string window, bool valid)
    {
        var settings = new RulesSettings { ReplayWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(!valid, settings.Validate().Any(p => p.StartsWith("Rules:ReplayWindow ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("-00:00:01", false)]
    [InlineData("00:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("1.00:00:01", false)]
    public void The_future_bound_must_be_zero_to_one_day(string future, bool valid)
    {
        var settings = new RulesSettings { MaxFuture = TimeSpan.Parse(future, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(!valid, settings.Validate().Any(p => p.StartsWith("Rules:MaxFuture ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10_000, true)]
    [InlineData(10_001, false)]
    public void The_caps_on_unknown_gateways_and_devices_must_be_1_to_10000(int cap, bool valid)
    {
        var problems = new RulesSettings { MaxUnknownGateways = cap, MaxUnknownDevicesPerGateway = cap }.Validate().ToList();

        Assert.Equal(!valid, problems.Any(p => p.StartsWith("Rules:MaxUnknownGateways ", StringComparison.Ordinal)));
        Assert.Equal(!valid, problems.Any(p => p.StartsWith("Rules:MaxUnknownDevicesPerGateway ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_engine_limits_default_to_a_day_five_minutes_64_gateways_and_32_devices_and_follow_the_settings()
    {
        var defaults = new RulesSettings().EngineLimits();
        var set = new RulesSettings
        {
            ReplayWindow = TimeSpan.FromHours(6),
            MaxFuture = TimeSpan.FromMinutes(1),
            MaxUnknownGateways = 8,
            MaxUnknownDevicesPerGateway = 4,
        }.EngineLimits();

        Assert.Equal(new RuleEngineLimits { ReplayWindow = TimeSpan.FromDays(1), MaxFuture = TimeSpan.FromMinutes(5), MaxUnknownGateways = 64, MaxUnknownDevicesPerGateway = 32 }, defaults);
        Assert.Equal(new RuleEngineLimits { ReplayWindow = TimeSpan.FromHours(6), MaxFuture = TimeSpan.FromMinutes(1), MaxUnknownGateways = 8, MaxUnknownDevicesPerGateway = 4 }, set);
    }

    private static string Key(string problem) => problem.Split(' ')[0];
}
