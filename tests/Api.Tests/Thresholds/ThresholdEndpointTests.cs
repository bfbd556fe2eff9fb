using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Tests.Access;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Api.Tests.Thresholds;

/// <summary><c>/api/thresholds</c> through the Api's real pipeline on a SQLite file of its own.</summary>
public sealed class ThresholdEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Ratio = "lamps.outage_ratio";

    [Fact]
    public async Task The_catalogue_lists_each_parameter_with_its_range_default_and_the_faults_that_use_it()
    {
        using var client = host.As("crew.li");

        var view = await ApiHost.JsonAsync(await client.GetAsync("/api/thresholds"));

        var ratio = Parameter(view, Ratio);
        Assert.Equal(0.40, ratio.GetProperty("default").GetDouble());
        Assert.Equal(0.05, ratio.GetProperty("minimum").GetDouble());
        Assert.Equal(0.95, ratio.GetProperty("maximum").GetDouble());
        var faults = ratio.GetProperty("used_by").EnumerateArray().SelectMany(u => u.GetProperty("faults").EnumerateArray()).Select(f => f.GetString()).ToList();
        Assert.Contains("mast_outage", faults);
        Assert.Equal(JsonValueKind.Null, ratio.GetProperty("effective").ValueKind);
    }

    [Fact]
    public async Task An_engineer_sets_a_value_with_a_reason_and_it_is_in_force_where_set_and_in_the_history()
    {
        using var engineer = host.As("engineer.wang");
        var version = (await ApiHost.JsonAsync(await engineer.GetAsync("/api/thresholds"))).GetProperty("version").GetInt64();

        using var changed = await engineer.PostAsJsonAsync("/api/thresholds/changes", new
        {
            parameter = Ratio, scope = "site:east", value = 0.3, reason = "east masts have <b>12</b> lamps & 4 dark is an outage", based_on_version = version,
        });

        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        var site = Parameter(await ApiHost.JsonAsync(await engineer.GetAsync("/api/thresholds?site=east")), Ratio).GetProperty("effective");
        Assert.Equal(0.3, site.GetProperty("value").GetDouble());
        Assert.Equal("site", site.GetProperty("source").GetString());
        Assert.Equal("site:east", site.GetProperty("scope").GetString());
        var elsewhere = Parameter(await ApiHost.JsonAsync(await engineer.GetAsync("/api/thresholds?site=west")), Ratio).GetProperty("effective");
        Assert.Equal(0.4, elsewhere.GetProperty("value").GetDouble());
        Assert.Equal("default", elsewhere.GetProperty("source").GetString());

        using var reader = host.As("operator.zhang");
        var history = await ApiHost.JsonAsync(await reader.GetAsync($"/api/thresholds/history?parameter={Ratio}&scope=site:east"));
        var row = history.GetProperty("changes")[0];
        Assert.Equal("engineer.wang", row.GetProperty("author").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("old_value").ValueKind);
        Assert.Equal(0.3, row.GetProperty("new_value").GetDouble());

        // Free text is kept as given: the Api serves it as JSON text, never as markup.
        Assert.Equal("east masts have <b>12</b> lamps & 4 dark is an outage", row.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_change_edited_from_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        using var engineer = host.As("engineer.wang");
        var version = (await ApiHost.JsonAsync(await engineer.GetAsync("/api/thresholds"))).GetProperty("version").GetInt64();
        using var first = await engineer.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = "site:south", value = 0.35, reason = "first", based_on_version = version });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var stale = await engineer.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = "site:south", value = 0.25, reason = "second", based_on_version = version });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.True((await ApiHost.JsonAsync(stale)).GetProperty("current_version").GetInt64() > version);
        var effective = Parameter(await ApiHost.JsonAsync(await engineer.GetAsync("/api/thresholds?site=south")), Ratio).GetProperty("effective");
        Assert.Equal(0.35, effective.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task The_history_pages_newest_first()
    {
        using var engineer = host.As("engineer.wang");
        foreach (var value in new[] { 0.31, 0.32, 0.33 })
        {
            using var changed = await engineer.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = "device:north/mast-77", value, reason = "paging" });
            Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        }

        var first = await ApiHost.JsonAsync(await engineer.GetAsync("/api/thresholds/history?scope=device:north/mast-77&limit=2"));
        var next = first.GetProperty("next_before").GetInt64();
        var second = await ApiHost.JsonAsync(await engineer.GetAsync($"/api/thresholds/history?scope=device:north/mast-77&limit=2&before={next}"));

        var values = first.GetProperty("changes").EnumerateArray().Concat(second.GetProperty("changes").EnumerateArray()).Select(c => c.GetProperty("new_value").GetDouble());
        Assert.Equal([0.33, 0.32, 0.31], values);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_before").ValueKind);
    }

    [Theory]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":"0.3","reason":"r"}""", "value")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":7,"reason":"r"}""", "value")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","reason":"r"}""", "value")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"global","value":null,"reason":"r"}""", "value")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3}""", "reason")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3,"reason":"   "}""", "reason")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3,"reason":["r"]}""", "reason")]
    [InlineData("""{"parameter":"<script>","scope":"site:north","value":0.3,"reason":"r"}""", "parameter")]
    [InlineData("""{"parameter":42,"scope":"site:north","value":0.3,"reason":"r"}""", "parameter")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:<b>north</b>","value":0.3,"reason":"r"}""", "scope")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"device:north","value":0.3,"reason":"r"}""", "scope")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3,"reason":"r","based_on_version":-1}""", "based_on_version")]
    [InlineData("""{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3,"reason":"r","valu":1}""", "valu")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""{"parameter":""", "body")]
    public async Task A_hostile_change_is_a_problem_naming_the_field_and_the_next_valid_change_is_served(string body, string field)
    {
        using var engineer = host.As("engineer.wang");

        using var refused = await engineer.PostAsync("/api/thresholds/changes", new StringContent(body, Encoding.UTF8, "application/json"));

        await ApiHost.AssertNamesAsync(refused, field);
        using var valid = await engineer.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = $"device:north/mast-{Guid.NewGuid():N}", value = 0.3, reason = "valid" });
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task Huge_bodies_and_reasons_are_problems_naming_the_field()
    {
        using var engineer = host.As("engineer.wang");

        using var huge = await engineer.PostAsync("/api/thresholds/changes", new StringContent($$"""{"reason":"{{new string('x', 100_000)}}"}""", Encoding.UTF8, "application/json"));
        await ApiHost.AssertNamesAsync(huge, "body");
        using var longReason = await engineer.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = "site:north", value = 0.3, reason = new string('r', ThresholdChange.MaxReasonLength + 1) });
        await ApiHost.AssertNamesAsync(longReason, "reason");

        using var valid = await engineer.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = $"device:north/mast-{Guid.NewGuid():N}", value = 0.3, reason = "valid" });
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Theory]
    [InlineData("/api/thresholds?site=<b>", "site")]
    [InlineData("/api/thresholds?family=lamp_post", "family")]
    [InlineData("/api/thresholds?device=mast-01", "site")]
    [InlineData("/api/thresholds/history?limit=0", "limit")]
    [InlineData("/api/thresholds/history?limit=ten", "limit")]
    [InlineData("/api/thresholds/history?before=-3", "before")]
    [InlineData("/api/thresholds/history?scope=city:x", "scope")]
    [InlineData("/api/thresholds/history?parameter=%3Cscript%3E", "parameter")]
    public async Task A_hostile_query_is_a_problem_naming_the_field_and_the_next_valid_query_is_served(string path, string field)
    {
        using var client = host.As("operator.zhang");

        await ApiHost.AssertNamesAsync(await client.GetAsync(path), field);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/thresholds/history?limit=5")).StatusCode);
    }

    [Fact]
    public async Task A_backtest_that_is_too_long_or_malformed_names_the_field()
    {
        using var engineer = host.As("engineer.wang");
        var from = DateTimeOffset.UtcNow.AddDays(-40);

        await ApiHost.AssertNamesAsync(await engineer.PostAsJsonAsync("/api/thresholds/backtest", new { changes = new[] { new { parameter = Ratio, scope = "global", value = 0.3 } }, from, to = from.AddDays(32) }), "to");
        await ApiHost.AssertNamesAsync(await engineer.PostAsJsonAsync("/api/thresholds/backtest", new { changes = Array.Empty<object>(), from, to = from.AddDays(1) }), "changes");
        await ApiHost.AssertNamesAsync(await engineer.PostAsJsonAsync("/api/thresholds/backtest", new { changes = new[] { new { parameter = Ratio, scope = "global", value = 2.0 } }, from, to = from.AddDays(1) }), "changes[0].value");
        await ApiHost.AssertNamesAsync(await engineer.PostAsJsonAsync("/api/thresholds/backtest", new { changes = new[] { new { parameter = Ratio, scope = "global", value = 0.3 } }, from = "yesterday", to = from.AddDays(1) }), "from");

        // No device of this Api's plant is at site "elsewhere": a valid proposal for it moves none and replays nothing.
        using var valid = await engineer.PostAsJsonAsync("/api/thresholds/backtest", new { changes = new[] { new { parameter = Ratio, scope = "site:elsewhere", value = 0.3 } }, from, to = from.AddDays(1) });
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(0, (await ApiHost.JsonAsync(valid)).GetProperty("devices").GetInt32());
    }

    [Theory]
    [InlineData("""{"changes":[{"parameter":"<img src=x>","scope":"global","value":0.3}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0].parameter")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"site:","value":0.3}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0].scope")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"global"}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0].value")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"global","value":true}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0].value")]
    [InlineData("""{"changes":[{"parameter":"lamps.debounce_readings","scope":"global","value":2.5}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0].value")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"global","value":0.3,"reason":"x"}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0].reason")]
    [InlineData("""{"changes":["lamps.outage_ratio"],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes[0]")]
    [InlineData("""{"changes":{"parameter":"lamps.outage_ratio"},"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "changes")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"global","value":0.3}],"from":"2026-01-02T00:00:00Z","to":"2026-01-01T00:00:00Z"}""", "to")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"global","value":0.3}],"from":"2026-01-01T00:00:00","to":"2026-01-02T00:00:00Z"}""", "from")]
    [InlineData("""{"changes":[{"parameter":"lamps.outage_ratio","scope":"global","value":0.3}],"from":"2999-01-01T00:00:00Z","to":"2999-01-02T00:00:00Z"}""", "from")]
    public async Task A_hostile_backtest_is_a_problem_naming_the_field_and_the_next_valid_backtest_is_served(string body, string field)
    {
        using var engineer = host.As("engineer.wang");

        await ApiHost.AssertNamesAsync(await engineer.PostAsync("/api/thresholds/backtest", new StringContent(body, Encoding.UTF8, "application/json")), field);

        var from = DateTimeOffset.UtcNow.AddDays(-3);
        using var valid = await engineer.PostAsJsonAsync("/api/thresholds/backtest", new { changes = new[] { new { parameter = Ratio, scope = "site:elsewhere", value = 0.3 } }, from, to = from.AddDays(1) });
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Operators_and_crews_may_not_change_a_threshold()
    {
        foreach (var user in new[] { "operator.zhang", "crew.li" })
        {
            using var client = host.As(user);
            using var refused = await client.PostAsJsonAsync("/api/thresholds/changes", new { parameter = Ratio, scope = "global", value = 0.3, reason = "not mine to change" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var store = host.Factory.Services.GetRequiredService<IThresholdStore>();
        Assert.DoesNotContain((await store.LoadAsync(CancellationToken.None)).Settings, s => s.Scope.Key == "global");
    }

    private static JsonElement Parameter(JsonElement view, string name) =>
        view.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
}
