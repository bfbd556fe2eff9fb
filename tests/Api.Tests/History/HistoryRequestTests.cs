using Telemetry.Api.History;
using Telemetry.Api.Plant;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.History;

/// <summary>The pure parts of a history request: steps, the cap, and the InfluxQL that checked input becomes.</summary>
public sealed class HistoryRequestTests
{
    private static readonly ApiPlant Demo = ApiPlant.Load(new ApiSettings { Database = "unused.db", SiteFiles = [Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")] });

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3_600)]
    [InlineData("2d", 172_800)]
    public void A_step_is_a_whole_number_and_a_unit(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), HistoryRequest.ParseStep(text));

    [Theory]
    [InlineData("0s")]
    [InlineData("05m")]
    [InlineData("1.5h")]
    [InlineData("m")]
    [InlineData("1w")]
    [InlineData("1234567d")]
    public void Anything_else_is_no_step(string text) => Assert.Null(HistoryRequest.ParseStep(text));

    [Fact]
    public void A_step_within_the_cap_is_kept_and_a_finer_one_or_none_is_widened_to_a_round_step_that_fits()
    {
        Assert.Equal((TimeSpan.FromMinutes(1), false), HistoryRequest.Fit(TimeSpan.FromDays(1), TimeSpan.FromMinutes(1)));
        Assert.Equal((TimeSpan.FromMinutes(1), true), HistoryRequest.Fit(TimeSpan.FromDays(1), TimeSpan.FromSeconds(1)));
        Assert.Equal((TimeSpan.FromMinutes(1), false), HistoryRequest.Fit(TimeSpan.FromDays(1), null));
        Assert.Equal((TimeSpan.FromHours(6), true), HistoryRequest.Fit(TimeSpan.FromDays(400), TimeSpan.FromMinutes(1)));
        foreach (var days in new[] { 1, 7, 30, 90, 400 })
        {
            var (step, _) = HistoryRequest.Fit(TimeSpan.FromDays(days), TimeSpan.FromSeconds(1));
            Assert.True((TimeSpan.FromDays(days).Ticks / step.Ticks) + 1 <= HistoryRequest.MaxPoints, $"{days} days at {step}");
        }
    }

    [Fact]
    public void The_query_names_only_the_checked_point_and_the_devices_own_tags_quoted()
    {
        var device = Demo.Find("demo", "sc-01")!;
        var parsed = HistoryRequestParser.Parse(
            device,
            new HistoryParameters("voltage_l1_v", "2", "2026-11-22T18:00:00Z", "2026-11-22T19:00:00Z", "5m"),
            DateTimeOffset.UnixEpoch);

        var query = ReadingHistory.Query(parsed.Request!, "street_controller");

        Assert.Equal(
            "SELECT mean(\"voltage_l1_v\") AS \"mean\", min(\"voltage_l1_v\") AS \"min\", max(\"voltage_l1_v\") AS \"max\", count(\"voltage_l1_v\") AS \"count\" " +
            "FROM \"street_controller\" WHERE \"site\" = 'demo' AND \"gateway\" = 'gw-demo-01' AND \"device\" = 'sc-01' AND \"circuit\" = '2' " +
            "AND time >= 1795370400000ms AND time < 1795374000000ms GROUP BY time(5m), \"circuit\" fill(none)",
            query);
    }
}
