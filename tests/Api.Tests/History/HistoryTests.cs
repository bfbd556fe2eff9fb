using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Access;
using Telemetry.Api.Tests.Access;
using Telemetry.Devices.Sites;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.History;

/// <summary>
/// The demo plant's Api in-process against a real influxd holding readings written here as Ingest writes them
/// (measurement = family, tags site, gateway, device, circuit), and a ticket of sc-01's circuit 1.
/// </summary>
public sealed class HistoryHost : IAsyncLifetime
{
    /// <summary>The start of the written readings (which span two minutes): a whole minute ten minutes ago, since the ticket store opens tickets at its clock's now.</summary>
    public static readonly DateTimeOffset Start = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(-10);

    /// <summary>The written readings' first five minutes as a query string.</summary>
    public static readonly string Range = $"from={Format(Start)}&to={Format(Start.AddMinutes(5))}";

    private readonly Dictionary<string, string> tokens = [];
    private InfluxServer? influx;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public string Ticket { get; private set; } = "";

    public DateTimeOffset TicketOpened { get; private set; }

    public async Task InitializeAsync()
    {
        influx = await InfluxServer.StartAsync();
        using (var client = new InfluxClient(new InfluxClientOptions { BaseAddress = influx.Url, Database = "telemetry" }))
        {
            await client.CreateDatabaseAsync("telemetry");
            var ms = Start.ToUnixTimeMilliseconds();
            string[] lines =
            [
                $"street_controller,circuit=1,device=sc-01,gateway=gw-demo-01,site=demo voltage_l1_v=230,commanded_on=true,lamps_lit=24i {ms}",
                $"street_controller,circuit=1,device=sc-01,gateway=gw-demo-01,site=demo voltage_l1_v=232 {ms + 20_000}",
                $"street_controller,circuit=1,device=sc-01,gateway=gw-demo-01,site=demo voltage_l1_v=228 {ms + 40_000}",
                $"street_controller,circuit=1,device=sc-01,gateway=gw-demo-01,site=demo voltage_l1_v=0,lamps_lit=0i {ms + 70_000}",
                $"street_controller,circuit=2,device=sc-01,gateway=gw-demo-01,site=demo voltage_l1_v=231 {ms + 30_000}",

                // The gateway's events of the device, beside a ticket's (the ticket store has those) and another device's.
                $"events,device=sc-01,gateway=gw-demo-01,kind=command_result,site=demo message=\"\",result=\"done\",action=\"switch\" {ms + 50_000}",
                $"events,circuit=1,device=sc-01,gateway=gw-demo-01,kind=ticket_opened,site=demo ticket=\"YW2611-0001\",grade=2i {ms + 55_000}",
                $"events,device=sc-02,gateway=gw-demo-01,kind=device_error,site=demo message=\"modbus timeout\" {ms + 55_000}",

                // Another device of the same family and another site: never in sc-01's answer.
                $"street_controller,circuit=1,device=sc-02,gateway=gw-demo-01,site=demo voltage_l1_v=999 {ms + 10_000}",
                $"street_controller,circuit=1,device=sc-01,gateway=gw-demo-01,site=elsewhere voltage_l1_v=999 {ms + 10_000}",
            ];
            await client.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        }

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Api:Database", Path.Combine(RepositoryPaths.NewScratchDirectory("api-history"), "maintenance.db"))
            .UseSetting("Api:SiteFiles:0", Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json"))
            .UseSetting("Influx:Url", influx.Url.ToString())
            .UseSetting("Influx:Database", "telemetry"));

        var store = Factory.Services.GetRequiredService<UserStore>();
        await store.SetAsync("operator.zhang", ApiHost.Password, [Role.Operator], [], CancellationToken.None);
        await store.SetAsync("crew.li", ApiHost.Password, [Role.Crew], ["crew-north"], CancellationToken.None);
        foreach (var user in new[] { "operator.zhang", "crew.li" })
        {
            tokens[user] = (await store.IssueTokenAsync(user, "tests", null, CancellationToken.None)).Token;
        }

        var detected = new FaultDetected(new AssetRef("demo", "gw-demo-01", "sc-01", "1"), FaultType.MastOutage, FaultGrade.Grade2, Start.AddSeconds(75),
            "24 of 24 lamps dark", new Dictionary<string, double> { ["lamps_lit"] = 0 }, "crew-central", CrewZone.Inner);
        var ticket = (await Factory.Services.GetRequiredService<ITicketRepository>().RecordAsync(detected, CancellationToken.None)).Ticket;
        Ticket = ticket.Number.ToString();
        TicketOpened = ticket.History[0].At;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (influx is not null)
        {
            await influx.DisposeAsync();
        }
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public HttpClient As(string user)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens[user]);
        return client;
    }
}

public sealed class HistoryTests(HistoryHost host) : IClassFixture<HistoryHost>
{
    private const string Sc01 = "/api/sites/demo/devices/sc-01/history";
    private static readonly string Range = HistoryHost.Range;

    [Fact]
    public async Task A_circuit_answers_mean_least_and_greatest_per_step_with_its_ticket_on_the_same_axis()
    {
        using var client = host.As("operator.zhang");

        using var response = await client.GetAsync($"{Sc01}?point=voltage_l1_v&circuit=1&from={HistoryHost.Format(HistoryHost.Start)}&to={HistoryHost.Format(host.TicketOpened.AddMinutes(1))}&step=1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await ApiHost.JsonAsync(response);
        Assert.Equal("street_controller", view.GetProperty("family").GetString());
        Assert.Equal("1m", view.GetProperty("step").GetString());
        Assert.False(view.GetProperty("step_widened").GetBoolean());
        var series = Assert.Single(view.GetProperty("series").EnumerateArray().ToList());
        Assert.Equal("1", series.GetProperty("circuit").GetString());
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(2, points.Count);
        Assert.Equal(HistoryHost.Start, points[0].GetProperty("time").GetDateTimeOffset());
        Assert.Equal(230, points[0].GetProperty("mean").GetDouble(), 6);
        Assert.Equal(228, points[0].GetProperty("min").GetDouble());
        Assert.Equal(232, points[0].GetProperty("max").GetDouble());
        Assert.Equal(3, points[0].GetProperty("count").GetInt64());
        Assert.Equal(0, points[1].GetProperty("mean").GetDouble());

        var opened = Assert.Single(view.GetProperty("events").EnumerateArray().ToList());
        Assert.Equal(host.Ticket, opened.GetProperty("ticket").GetString());
        Assert.Equal("mast_outage", opened.GetProperty("fault").GetString());
        Assert.Equal("1", opened.GetProperty("circuit").GetString());
        Assert.Equal(host.TicketOpened, opened.GetProperty("time").GetDateTimeOffset());
        Assert.Empty((await ApiHost.JsonAsync(await client.GetAsync($"{Sc01}?point=voltage_l1_v&circuit=1&{Range}"))).GetProperty("events").EnumerateArray());

        var reported = Assert.Single(view.GetProperty("device_events").EnumerateArray().ToList());
        Assert.Equal("command_result", reported.GetProperty("kind").GetString());
        Assert.Equal(HistoryHost.Start.AddSeconds(50), reported.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("done", reported.GetProperty("details").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Without_a_circuit_each_circuit_is_a_series_of_its_own_and_nothing_of_other_devices_or_sites()
    {
        using var client = host.As("operator.zhang");

        var view = await ApiHost.JsonAsync(await client.GetAsync($"{Sc01}?point=voltage_l1_v&{Range}&step=5m"));

        var series = view.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(["1", "2"], series.Select(s => s.GetProperty("circuit").GetString()));
        Assert.Equal(231, Assert.Single(series[1].GetProperty("points").EnumerateArray().ToList()).GetProperty("max").GetDouble());
        Assert.DoesNotContain(series.SelectMany(s => s.GetProperty("points").EnumerateArray()), p => p.GetProperty("max").GetDouble() == 999);
    }

    [Fact]
    public async Task A_step_that_would_give_more_than_the_cap_is_widened_and_the_answer_says_so()
    {
        using var client = host.As("operator.zhang");

        var view = await ApiHost.JsonAsync(await client.GetAsync($"{Sc01}?point=lamps_lit&circuit=1&from={HistoryHost.Format(HistoryHost.Start.AddHours(-12))}&to={HistoryHost.Format(HistoryHost.Start.AddHours(12))}&step=1s"));

        Assert.Equal("1m", view.GetProperty("step").GetString());
        Assert.True(view.GetProperty("step_widened").GetBoolean());
        Assert.Equal(2000, view.GetProperty("max_points").GetInt32());
        var points = Assert.Single(view.GetProperty("series").EnumerateArray().ToList()).GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([24.0, 0.0], points.Select(p => p.GetProperty("mean").GetDouble()));
    }

    [Fact]
    public async Task A_point_without_readings_yet_is_an_empty_history_and_a_boolean_point_is_a_problem_naming_point()
    {
        using var client = host.As("operator.zhang");

        var empty = await ApiHost.JsonAsync(await client.GetAsync($"{Sc01}?point=energy_kwh&{Range}"));
        Assert.Empty(empty.GetProperty("series").EnumerateArray());

        using var boolean = await client.GetAsync($"{Sc01}?point=commanded_on&{Range}");
        await ApiHost.AssertNamesAsync(boolean, "point");
    }

    [Theory]
    [InlineData("point=", "point")]
    [InlineData("point=voltage_l1_v%22%20OR%201%3D1", "point")]
    [InlineData("point=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "point")]
    [InlineData("point=voltage_l1_v&point=power_kw", "point")]
    [InlineData("point=device_model%27%3B%20DROP%20DATABASE%20telemetry", "point")]
    [InlineData("point=voltage_l1_v&circuit=0", "circuit")]
    [InlineData("point=voltage_l1_v&circuit=3", "circuit")]
    [InlineData("point=voltage_l1_v&circuit=01", "circuit")]
    [InlineData("point=voltage_l1_v&circuit=1%27%20OR%20%271%27%3D%271", "circuit")]
    [InlineData("point=voltage_l1_v&circuit=99999999999999999999", "circuit")]
    [InlineData("point=voltage_l1_v&from=yesterday", "from")]
    [InlineData("point=voltage_l1_v&from=2026-11-22T18:00:00", "from")]
    [InlineData("point=voltage_l1_v&to=9999-12-31T23:59:59Z", "to")]
    [InlineData("point=voltage_l1_v&from=2026-11-22T19:00:00Z&to=2026-11-22T18:00:00Z", "to")]
    [InlineData("point=voltage_l1_v&from=2020-01-01T00:00:00Z&to=2026-11-22T18:00:00Z", "from")]
    [InlineData("point=voltage_l1_v&step=0s", "step")]
    [InlineData("point=voltage_l1_v&step=-5m", "step")]
    [InlineData("point=voltage_l1_v&step=5w", "step")]
    [InlineData("point=voltage_l1_v&step=1m)%20fill(0", "step")]
    [InlineData("point=voltage_l1_v&step=999999d", "step")]
    public async Task Hostile_input_is_a_problem_naming_the_field_and_the_next_request_is_served(string query, string field)
    {
        using var client = host.As("operator.zhang");

        using var response = await client.GetAsync($"{Sc01}?{query}");

        await ApiHost.AssertNamesAsync(response, field);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Sc01}?point=voltage_l1_v&{Range}")).StatusCode);
    }

    [Fact]
    public async Task A_huge_point_name_is_a_problem_that_does_not_echo_it_whole()
    {
        using var client = host.As("operator.zhang");
        var huge = new string('a', 100_000);

        using var response = await client.GetAsync($"{Sc01}?point={huge}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await ApiHost.JsonAsync(response)).GetProperty("errors").GetProperty("point")[0].GetString()!;
        Assert.True(message.Length < 1_000, message);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Sc01}?point=voltage_l1_v&{Range}")).StatusCode);
    }

    [Theory]
    [InlineData("/api/sites/nowhere/devices/sc-01/history?point=voltage_l1_v", "site")]
    [InlineData("/api/sites/demo/devices/sc-99/history?point=voltage_l1_v", "device")]
    [InlineData("/api/sites/demo/devices/%3Cb%3Esc%3C%2Fb%3E/history?point=voltage_l1_v", "device")]
    public async Task An_unknown_site_or_device_is_404_naming_it(string path, string field)
    {
        using var client = host.As("operator.zhang");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await ApiHost.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Sc01}?point=voltage_l1_v&{Range}")).StatusCode);
    }

    [Fact]
    public async Task A_crew_member_reads_its_crews_devices_only()
    {
        using var client = host.As("crew.li");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{Sc01}?point=voltage_l1_v&{Range}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sites/demo/devices/sc-06/history?point=voltage_l1_v&{Range}")).StatusCode);
    }
}

/// <summary>The Api with a readings store that does not answer: a history is a 503 problem, soon.</summary>
public sealed class HistoryWithoutStoreTests
{
    [Fact]
    public async Task A_store_that_is_down_is_503_and_tickets_are_still_served()
    {
        var database = Path.Combine(RepositoryPaths.NewScratchDirectory("api-history-down"), "maintenance.db");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Api:Database", database)
            .UseSetting("Api:SiteFiles:0", Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json"))
            .UseSetting("Influx:Url", $"http://127.0.0.1:{FreePort.Next()}/"));
        var store = factory.Services.GetRequiredService<UserStore>();
        await store.SetAsync("operator.zhang", ApiHost.Password, [Role.Operator], [], CancellationToken.None);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await store.IssueTokenAsync("operator.zhang", "tests", null, CancellationToken.None)).Token);

        using var response = await client.GetAsync("/api/sites/demo/devices/sc-01/history?point=voltage_l1_v");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.String, (await ApiHost.JsonAsync(response)).GetProperty("title").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tickets")).StatusCode);
    }
}
