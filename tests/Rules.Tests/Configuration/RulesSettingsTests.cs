using Telemetry.Rules.Configuration;

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
        }.Validate().ToList();
        var alerts = new AlertSettings
        {
            SupervisorChannel = "a/b",
            Webhooks = [new WebhookSettings { Name = "mqtt", Url = new Uri("ftp://x/"), Timeout = TimeSpan.FromHours(1) }],
            FirstRetryDelay = TimeSpan.FromMinutes(10),
        }.Validate().ToList();
        var timeline = new TimelineSettings { Url = new Uri("file:///tmp/x"), Database = "tele metry" }.Validate().ToList();

        Assert.Equal(
            ["Rules:SiteFiles", "Rules:ProfilesDirectory", "Rules:Database", "Rules:ServiceUnit", "Rules:TimeZone", "Rules:TickInterval", "Rules:MaxPayloadBytes"],
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

    private static string Key(string problem) => problem.Split(' ')[0];
}
