using System.Net;
using System.Text.Json;
using Telemetry.Api.Tests.Access;
using Telemetry.Api.Tests.Reports;

namespace Telemetry.Api.Tests.Assets;

/// <summary>
/// The asset register over <see cref="MonthlyReportPlant"/>: the demo site's dates, tickets in the real SQLite store,
/// work orders beside them, battery tests in a real influxd, and the Api's clock at 7 December 2026.
/// </summary>
public sealed class AssetRegisterTests(MonthlyReportPlant plant) : IClassFixture<MonthlyReportPlant>
{
    [Fact]
    public async Task An_old_emergency_units_record_has_its_dates_ticket_work_order_tests_and_parts()
    {
        using var client = plant.As("operator.zhang");

        var record = await GetAsync(client, "/api/assets/demo/eps-01");

        var asset = record.GetProperty("asset");
        Assert.Equal(
            ("eps-01", "emergency_battery", "yd-eps1k", "YD1K-1906-0231", "2019-06-15", "2022-06-14", "expired", "2026-12-07"),
            (asset.GetProperty("device").GetString(), asset.GetProperty("family").GetString(), asset.GetProperty("model").GetString(), asset.GetProperty("serial").GetString(),
                asset.GetProperty("commissioned").GetString(), asset.GetProperty("warranty_until").GetString(), asset.GetProperty("warranty").GetString(), asset.GetProperty("today").GetString()));
        Assert.Equal(-1637, asset.GetProperty("warranty_days_left").GetInt32());

        var ticket = Assert.Single(record.GetProperty("tickets").EnumerateArray().ToList());
        Assert.Equal(("YW2512-0001", "failed_function_test", "closed", "battery pack worn out"),
            (ticket.GetProperty("number").GetString(), ticket.GetProperty("fault").GetString(), ticket.GetProperty("status").GetString(), ticket.GetProperty("cause").GetString()));

        var order = Assert.Single(record.GetProperty("work_orders").EnumerateArray().ToList());
        Assert.Equal(("emergency_function_check", "done", true), (order.GetProperty("task").GetString(), order.GetProperty("status").GetString(), order.GetProperty("done_on_time").GetBoolean()));

        // Every test since commissioning, newest first.
        Assert.Equal(
            ["2026-11-06 function passed", "2026-11-05 function failed", "2024-06-10 duration passed"],
            record.GetProperty("tests").EnumerateArray().Select(t =>
                $"{t.GetProperty("finished_at").GetDateTimeOffset().ToOffset(MonthlyReportPlant.Local):yyyy-MM-dd} {t.GetProperty("test").GetString()} {t.GetProperty("outcome").GetString()}"));

        Assert.Equal(
            ["battery pack 12 V 7 Ah|YW2512-0001|li.wei", "charger fuse 2 A|YW2512-0001|li.wei"],
            record.GetProperty("parts").EnumerateArray().Select(p => $"{p.GetProperty("part").GetString()}|{p.GetProperty("source").GetString()}|{p.GetProperty("by").GetString()}"));
        Assert.All(record.GetProperty("parts").EnumerateArray(), p => Assert.Equal(new DateTimeOffset(2025, 12, 4, 9, 0, 0, MonthlyReportPlant.Local), p.GetProperty("replaced_at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task A_controllers_record_gathers_the_tickets_of_its_circuits_and_the_parts_they_took()
    {
        using var client = plant.As("operator.zhang");

        var record = await GetAsync(client, "/api/assets/demo/sc-01");

        // T4 on the controller, T1 on its circuit 1, newest first.
        Assert.Equal(
            ["demo/gw-demo-01/sc-01 door_open acknowledged", "demo/gw-demo-01/sc-01/1 total_dark closed"],
            record.GetProperty("tickets").EnumerateArray().Select(t => $"{t.GetProperty("asset").GetString()} {t.GetProperty("fault").GetString()} {t.GetProperty("status").GetString()}"));
        var part = Assert.Single(record.GetProperty("parts").EnumerateArray().ToList());
        Assert.Equal(("driver 150W", MonthlyReportPlant.At(11, 11, 20, 30)), (part.GetProperty("part").GetString(), part.GetProperty("replaced_at").GetDateTimeOffset()));
        var order = Assert.Single(record.GetProperty("work_orders").EnumerateArray().ToList());
        Assert.Equal(("lantern_cleaning", false), (order.GetProperty("task").GetString(), order.GetProperty("done_on_time").GetBoolean()));
        Assert.Empty(record.GetProperty("tests").EnumerateArray());
        Assert.Equal("expired", record.GetProperty("asset").GetProperty("warranty").GetString());
    }

    [Fact]
    public async Task The_list_filters_by_warranty_status_on_the_sites_today()
    {
        using var client = plant.As("operator.zhang");

        var all = (await GetAsync(client, "/api/assets?site=demo")).GetProperty("assets").EnumerateArray().ToList();
        var expiring = (await GetAsync(client, "/api/assets?site=demo&warranty=expiring")).GetProperty("assets").EnumerateArray().ToList();
        var unknown = (await GetAsync(client, "/api/assets?warranty=unknown")).GetProperty("assets").EnumerateArray().ToList();

        Assert.Equal(30, all.Count);
        Assert.Equal((11, 14), (all.Count(a => a.GetProperty("warranty").GetString() == "expired"), all.Count(a => a.GetProperty("warranty").GetString() == "in_warranty")));
        Assert.Equal(["box-02:82", "box-03:55", "eps-04:33"], expiring.Select(a => $"{a.GetProperty("device").GetString()}:{a.GetProperty("warranty_days_left").GetInt32()}"));
        Assert.Equal(["ltc-03", "ltc-04"], unknown.Select(a => a.GetProperty("device").GetString()));
        Assert.Equal(JsonValueKind.Null, unknown[1].GetProperty("commissioned").ValueKind);
    }

    [Fact]
    public async Task A_crew_member_sees_the_register_of_its_own_crews_devices_only()
    {
        using var client = plant.As("crew.li");

        var list = (await GetAsync(client, "/api/assets")).GetProperty("assets").EnumerateArray().ToList();
        var mast = await GetAsync(client, "/api/assets/demo/mast-05");
        using var other = await client.GetAsync("/api/assets/demo/eps-01");

        Assert.Equal(10, list.Count);
        Assert.All(list, a => Assert.Equal("crew-masts", a.GetProperty("crew").GetString()));
        Assert.Equal(2, mast.GetProperty("tickets").GetArrayLength());
        Assert.Equal(["2026-12-03", "2026-11-10"], mast.GetProperty("work_orders").EnumerateArray().Select(o => o.GetProperty("due_date").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Theory]
    [InlineData("/api/assets?site=nowhere", HttpStatusCode.BadRequest, "site")]
    [InlineData("/api/assets?warranty=soon", HttpStatusCode.BadRequest, "warranty")]
    [InlineData("/api/assets?site=demo&warranty=%27%20OR%201%3D1", HttpStatusCode.BadRequest, "warranty")]
    [InlineData("/api/assets/demo/sc-99", HttpStatusCode.NotFound, "device")]
    [InlineData("/api/assets/nowhere/sc-01", HttpStatusCode.NotFound, "site")]
    [InlineData("/api/assets/demo/%27%3B%20DROP%20TABLE%20tickets%3B--", HttpStatusCode.NotFound, "device")]
    public async Task A_bad_request_is_refused_naming_the_parameter_and_a_good_one_is_answered_after_it(string path, HttpStatusCode status, string parameter)
    {
        using var client = plant.As("operator.zhang");

        using (var response = await client.GetAsync(path))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.True((await ApiHost.JsonAsync(response)).GetProperty("errors").TryGetProperty(parameter, out _), text);
        }

        Assert.Equal("yd-eps1k", (await GetAsync(client, "/api/assets/demo/eps-02")).GetProperty("asset").GetProperty("model").GetString());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ApiHost.JsonAsync(response);
    }
}
