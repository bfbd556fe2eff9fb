using System.Text.Json.Nodes;
using Telemetry.Devices.Sites;

namespace Telemetry.Devices.Tests.Sites;

/// <summary>The site file's <c>emergency_tests</c> section and the devices' <c>group</c>.</summary>
public sealed class EmergencyTestScheduleTests
{
    // The valid test site with two emergency units in group "tunnel" and the section given.
    private static string WithTests(string section) => TestSites.Changed(s =>
    {
        var devices = TestSites.Gateway(s)["devices"]!.AsArray();
        devices.Add(JsonNode.Parse("""{ "id": "eps-1", "group": "tunnel", "family": "emergency_battery", "profile": "yd-eps1k", "link": "rs485-1", "unit": 21, "crew_zone": "inner" }"""));
        devices.Add(JsonNode.Parse("""{ "id": "eps-2", "group": "tunnel", "family": "emergency_battery", "profile": "yd-eps1k", "link": "rs485-1", "unit": 22, "crew_zone": "inner" }"""));
        s["emergency_tests"] = JsonNode.Parse(section);
    });

    [Fact]
    public void A_full_section_is_read_with_its_groups_and_occupied_hours()
    {
        var site = SiteLoader.Parse(
            WithTests("""
                {"enabled": true, "window": {"from": "08:30", "to": "24:00"}, "max_share_discharging": 0.25, "recharge_h": 12,
                 "function_interval_days": 28, "one_hour_interval_days": 180, "full_duration_interval_days": 360,
                 "groups": [{"group": "tunnel", "max_share_discharging": 1, "occupied": [{"days": ["sat", "sun"], "from": "10:00", "to": "12:00"}]}]}
                """),
            TestSites.Source, TestSites.Profiles, TestSites.Options);

        var tests = site.EmergencyTests!;
        Assert.Equal(new LocalHours(TimeSpan.FromHours(8.5), TimeSpan.FromHours(24)), tests.Window);
        Assert.Equal((0.25, 1.0), (tests.MaxShareDischarging, tests.ShareOf("tunnel")));
        Assert.Equal(TimeSpan.FromHours(12), tests.Recharge);
        Assert.Equal((28, 180, 360), ((int)tests.FunctionInterval.TotalDays, (int)tests.OneHourInterval.TotalDays, (int)tests.FullDurationInterval.TotalDays));
        var occupied = Assert.Single(tests.OccupancyOf("tunnel"));
        Assert.True(occupied.Overlaps(new DateTime(2027, 3, 6, 11, 0, 0), new DateTime(2027, 3, 6, 13, 0, 0)), "a Saturday at 11:00");
        Assert.False(occupied.Overlaps(new DateTime(2027, 3, 8, 11, 0, 0), new DateTime(2027, 3, 8, 13, 0, 0)), "a Monday");
        Assert.Equal("tunnel", site.FindDevice("eps-1")!.Group);
    }

    [Fact]
    public void Without_the_section_the_site_runs_no_automatic_tests_and_an_empty_one_takes_the_defaults()
    {
        Assert.Null(TestSites.Load().EmergencyTests);

        var tests = SiteLoader.Parse(WithTests("{}"), TestSites.Source, TestSites.Profiles, TestSites.Options).EmergencyTests!;

        Assert.Equal(new EmergencyTestSchedule().Window, tests.Window);
        Assert.Equal(0.5, tests.ShareOf("tunnel"));
        Assert.True(tests.Enabled);
    }

    public static TheoryData<string, string, SiteRule> BrokenSections() => new()
    {
        { """{"window": {"from": "9:00", "to": "16:00"}}""", "$.emergency_tests.window.from", SiteRule.InvalidTestWindow },
        { """{"window": {"from": "09:00", "to": "24:30"}}""", "$.emergency_tests.window.to", SiteRule.InvalidTestWindow },
        { """{"window": {"from": "16:00", "to": "09:00"}}""", "$.emergency_tests.window.to", SiteRule.InvalidTestWindow },
        { """{"window": {"from": "09:00"}}""", "$.emergency_tests.window.to", SiteRule.InvalidTestWindow },
        { """{"max_share_discharging": 0}""", "$.emergency_tests.max_share_discharging", SiteRule.InvalidDischargeShare },
        { """{"max_share_discharging": 1.5}""", "$.emergency_tests.max_share_discharging", SiteRule.InvalidDischargeShare },
        { """{"groups": [{"group": "tunnel", "max_share_discharging": -0.5}]}""", "$.emergency_tests.groups[0].max_share_discharging", SiteRule.InvalidDischargeShare },
        { """{"recharge_h": 200}""", "$.emergency_tests.recharge_h", SiteRule.InvalidTestInterval },
        { """{"function_interval_days": 0}""", "$.emergency_tests.function_interval_days", SiteRule.InvalidTestInterval },
        { """{"one_hour_interval_days": 2000}""", "$.emergency_tests.one_hour_interval_days", SiteRule.InvalidTestInterval },
        { """{"full_duration_interval_days": 90}""", "$.emergency_tests", SiteRule.InvalidTestInterval },
        { """{"groups": [{"group": "tunel"}]}""", "$.emergency_tests.groups[0].group", SiteRule.UnknownGroup },
        { """{"groups": [{"group": "tunnel"}, {"group": "tunnel"}]}""", "$.emergency_tests.groups[1].group", SiteRule.DuplicateId },
        { """{"groups": [{}]}""", "$.emergency_tests.groups[0].group", SiteRule.MissingField },
        { """{"groups": [{"group": "tunnel", "occupied": [{"days": ["monday"], "from": "07:00", "to": "09:00"}]}]}""", "$.emergency_tests.groups[0].occupied[0].days[0]", SiteRule.InvalidOccupancy },
        { """{"groups": [{"group": "tunnel", "occupied": [{"days": [], "from": "07:00", "to": "09:00"}]}]}""", "$.emergency_tests.groups[0].occupied[0].days", SiteRule.InvalidOccupancy },
        { """{"groups": [{"group": "tunnel", "occupied": [{"days": ["mon"], "from": "22:00", "to": "06:00"}]}]}""", "$.emergency_tests.groups[0].occupied[0].to", SiteRule.InvalidOccupancy },
        { """{"groups": [{"group": "tunnel", "occupied": [{"days": ["mon"], "from": "noon", "to": "14:00"}]}]}""", "$.emergency_tests.groups[0].occupied[0].from", SiteRule.InvalidOccupancy },
    };

    [Theory]
    [MemberData(nameof(BrokenSections))]
    public void A_broken_emergency_tests_section_is_refused_naming_its_path_and_rule(string section, string path, SiteRule rule)
    {
        var error = Assert.Single(TestSites.Errors(WithTests(section)));

        Assert.Equal((path, rule), (error.Path, error.Rule));
    }

    [Fact]
    public void A_group_that_is_no_identifier_is_refused_on_the_device()
    {
        var json = TestSites.Changed(s => TestSites.Device(s, 1)["group"] = "tunnel east");

        var error = Assert.Single(TestSites.Errors(json));

        Assert.Equal(("$.gateways[0].devices[1].group", SiteRule.InvalidIdentifier), (error.Path, error.Rule));
    }

    [Fact]
    public void A_group_named_in_the_section_must_have_an_emergency_unit_not_just_any_device()
    {
        var json = TestSites.Changed(s =>
        {
            TestSites.Device(s, 1)["group"] = "masts";
            s["emergency_tests"] = JsonNode.Parse("""{"groups": [{"group": "masts"}]}""");
        });

        var error = Assert.Single(TestSites.Errors(json));

        Assert.Equal(SiteRule.UnknownGroup, error.Rule);
        Assert.Contains("'masts'", error.Detail, StringComparison.Ordinal);
    }
}
