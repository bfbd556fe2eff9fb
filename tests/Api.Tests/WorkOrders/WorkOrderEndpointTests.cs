using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Tests.Access;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Tests.WorkOrders;

/// <summary>Work orders over HTTP through the Api's real pipeline and its SQLite file.</summary>
public sealed class WorkOrderEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Completing_an_earth_test_with_a_resistance_above_4_ohm_opens_the_earth_ticket_of_the_mast()
    {
        var number = await EarthTestAsync("mast-02");
        using var crew = host.As("operator.zhang");

        Assert.Equal(HttpStatusCode.OK, (await crew.PostAsync($"/api/work-orders/{number}/start", null)).StatusCode);
        using var done = await crew.PostAsJsonAsync($"/api/work-orders/{number}/complete", new
        {
            checklist = new Dictionary<string, bool> { ["earth_connection"] = true, ["corrosion"] = false },
            readings = new Dictionary<string, double> { ["earth_resistance_ohm"] = 7.5 },
            note = "rust at the flange",
        });

        var body = await ApiHost.JsonAsync(done);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("done", body.GetProperty("work_order").GetProperty("status").GetString());
        Assert.Equal(7.5, body.GetProperty("work_order").GetProperty("readings").GetProperty("earth_resistance_ohm").GetDouble());
        var ticket = await host.Factory.Services.GetRequiredService<ITicketRepository>()
            .FindAsync(TicketNumber.Parse(Assert.Single(body.GetProperty("tickets").EnumerateArray()).GetString()!), CancellationToken.None);
        Assert.Equal((FaultType.HighEarthResistance, FaultGrade.Grade3, "demo/gw-demo-01/mast-02"), (ticket!.Fault, ticket.Grade, ticket.Asset.Key));
    }

    [Fact]
    public async Task Completing_without_the_reading_is_refused_naming_it_and_completing_twice_is_a_conflict()
    {
        var number = await EarthTestAsync("mast-03");
        using var operatorClient = host.As("operator.zhang");
        await operatorClient.PostAsync($"/api/work-orders/{number}/start", null);

        using var missing = await operatorClient.PostAsJsonAsync($"/api/work-orders/{number}/complete", new { checklist = new { earth_connection = true, corrosion = true } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("earth_resistance_ohm", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var skipped = await operatorClient.PostAsJsonAsync($"/api/work-orders/{number}/skip", new { reason = "tester broken" });
        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        using var again = await operatorClient.PostAsJsonAsync($"/api/work-orders/{number}/skip", new { reason = "tester broken" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_work_order_the_gateways_test_completed_shows_the_test_and_what_it_measured_and_cannot_be_worked_again()
    {
        var store = host.Factory.Services.GetRequiredService<IWorkOrderStore>();
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5);
        var planned = new PlannedWorkOrder(new AssetRef("demo", "gw-demo-01", "eps-02"), DeviceFamily.EmergencyBattery, MaintenanceTask.EmergencyFullDischarge,
            $"test-{Guid.NewGuid():N}", due, new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "crew-central", CrewZone.Inner);
        var number = (await store.AddAsync([planned], DateTimeOffset.UtcNow, CancellationToken.None)).Single().Number;
        var finished = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(3);
        await store.ChangeAsync(number, o => o.CompleteByGateway(
            new GatewayTest("gw-demo-01", BatteryTestNames.Duration, "failed", BatteryTestNames.Command, finished, 2520, 5400, 10.5, "battery reached its cut-off voltage")), CancellationToken.None);
        using var crew = host.As("operator.zhang");

        var body = await ApiHost.JsonAsync(await crew.GetAsync($"/api/work-orders/{number}"));

        Assert.Equal(("done", "gw-demo-01"), (body.GetProperty("status").GetString(), body.GetProperty("done_by").GetString()));
        var test = body.GetProperty("gateway_test");
        Assert.Equal(("duration", "failed", "command"), (test.GetProperty("test").GetString(), test.GetProperty("outcome").GetString(), test.GetProperty("trigger").GetString()));
        Assert.Equal((42.0, 90.0), (test.GetProperty("runtime_minutes").GetDouble(), test.GetProperty("rated_minutes").GetDouble()));
        Assert.Equal(42.0, body.GetProperty("readings").GetProperty("runtime_min").GetDouble());
        Assert.Equal(HttpStatusCode.Conflict, (await crew.PostAsync($"/api/work-orders/{number}/start", null)).StatusCode);
    }

    [Fact]
    public async Task A_crew_member_lists_its_own_crews_work_orders_only()
    {
        await host.FreshWorkOrderAsync("north", started: false);
        await host.FreshWorkOrderAsync("central", started: false);
        using var crew = host.As("crew.li");

        var page = await ApiHost.JsonAsync(await crew.GetAsync("/api/work-orders?status=planned"));

        var crews = page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("crew").GetString()).Distinct().ToList();
        Assert.Equal(["crew-north"], crews);
        Assert.Equal(HttpStatusCode.Forbidden, (await crew.GetAsync("/api/work-orders?crew=crew-central")).StatusCode);
        await ApiHost.AssertNamesAsync(await crew.GetAsync("/api/work-orders?status=lost"), "status");
    }

    [Fact]
    public async Task An_engineer_changes_an_interval_with_a_reason_and_an_impossible_one_is_refused()
    {
        using var engineer = host.As("engineer.wang");

        using var set = await engineer.PutAsJsonAsync("/api/work-orders/intervals/emergency_function_check", new { times = 2, per = "month", reason = "old batteries" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var intervals = await ApiHost.JsonAsync(await engineer.GetAsync("/api/work-orders/intervals"));
        var function = intervals.EnumerateArray().Single(i => i.GetProperty("task").GetString() == "emergency_function_check");
        Assert.Equal((2, "month", "engineer.wang"), (function.GetProperty("times").GetInt32(), function.GetProperty("per").GetString(), function.GetProperty("changed_by").GetString()));

        await ApiHost.AssertNamesAsync(await engineer.PutAsJsonAsync("/api/work-orders/intervals/lantern_cleaning", new { times = 5, per = "year", reason = "x" }), "times");
        await ApiHost.AssertNamesAsync(await engineer.PutAsJsonAsync("/api/work-orders/intervals/holiday_patrol", new { times = 1, per = "week", reason = "x" }), "times");
    }

    private async Task<string> EarthTestAsync(string device)
    {
        var store = host.Factory.Services.GetRequiredService<IWorkOrderStore>();
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5);
        var planned = new PlannedWorkOrder(new AssetRef("demo", "gw-demo-01", device), DeviceFamily.HighMast, MaintenanceTask.EarthResistanceTest,
            $"test-{Guid.NewGuid():N}", due, new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "crew-masts", CrewZone.Second);
        return (await store.AddAsync([planned], DateTimeOffset.UtcNow, CancellationToken.None)).Single().Number.ToString();
    }
}
