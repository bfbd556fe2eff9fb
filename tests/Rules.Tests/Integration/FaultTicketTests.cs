using System.Net;
using System.Text;
using System.Text.Json;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// Faults made in the simulated plant become graded tickets through the whole pipeline: simulator, gateway,
/// Mosquitto, Ingest and InfluxDB, Rules, the ticket store and Api.
/// </summary>
public sealed class FaultTicketTests(RulesFixture fixture) : IClassFixture<RulesFixture>
{
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);

    private PlantRig Rig => fixture.Rig;

    [Fact]
    public async Task Mast_lamps_dark_make_one_ticket_rediagnosed_as_more_go_dark_and_the_repair_clears_it()
    {
        const string asset = "rig/gw-rig/mast-01";
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);

        // 4 of 12 dark: at or below the 40 % outage ratio.
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 4 });
        var single = await OneTicketAsync(asset, "single_lamps_dark");
        Assert.Equal(3, single.Grade());
        Assert.Empty(await TicketsAsync(asset, "mast_outage"));

        // 5 of 12 dark: above the outage ratio, minutes later, so the same event: the one ticket becomes a grade 2
        // mast outage. Commanded on again at each step: the mast holds a command only until its schedule next switches.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 5 });
        var outage = await OneTicketAsync(asset, "mast_outage");
        Assert.Equal((2, single.Number()), (outage.Grade(), outage.Number()));
        Assert.Empty(await TicketsAsync(asset, "single_lamps_dark"));

        // 12 of 12 dark: total dark names it, at grade 1, the weaker diagnoses related to it.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 12 });
        var dark = await OneTicketAsync(asset, "total_dark");
        Assert.Equal((1, single.Number()), (dark.Grade(), dark.Number()));
        var ticket = await Rig.TicketAsync(dark.Number());
        Assert.Equal(
            ["mast_outage", "single_lamps_dark"],
            ticket.GetProperty("related").EnumerateArray().Select(r => r.GetProperty("fault").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains(ticket.GetProperty("history").EnumerateArray(), s => s.GetProperty("what").GetString() == "rediagnosed");

        // Relamped: the condition clears on the ticket, which stays for the crew to close.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.ClearFaultAsync("mast-01", "lamps_dark");
        await Eventually.TrueAsync(
            async () => !(await TicketsAsync(asset, "total_dark")).Single().ConditionActive(),
            "the total-dark condition clears on its ticket",
            Pipeline);
        var all = await Rig.TicketsAsync($"asset={Uri.EscapeDataString(asset)}");
        Assert.Equal("open", Assert.Single(all).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Insulation_falling_below_half_a_megohm_opens_one_grade2_ticket_and_oscillation_in_the_band_opens_no_other()
    {
        const string asset = "rig/gw-rig/box-01";
        await Rig.InjectFaultAsync("box-01", new { fault = "low_insulation", mohm = 0.45 });
        var ticket = await OneTicketAsync(asset, "low_insulation");
        Assert.Equal(2, ticket.Grade());

        // Around the 0.5 MΩ trip level, inside the band below the 0.6 MΩ clear level.
        foreach (var mohm in new[] { 0.55, 0.45, 0.58, 0.47, 0.55, 0.46 })
        {
            await Rig.InjectFaultAsync("box-01", new { fault = "low_insulation", mohm });
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var tickets = await TicketsAsync(asset, "low_insulation");
        Assert.Single(tickets);
        Assert.True(tickets[0].ConditionActive(), "the condition never cleared inside the band");
    }

    [Fact]
    public async Task A_failed_duration_test_opens_a_grade2_failed_discharge_ticket_naming_the_runtime_reached()
    {
        const string asset = "rig/gw-rig/eps-01";
        await Rig.InjectFaultAsync("eps-01", new { fault = "battery_aged", health = 0.05 });
        var reply = await Rig.Recorder.CommandAsync("eps-01", """{"action":"start_duration_test"}""");
        Assert.Equal("done", reply.GetProperty("result").GetString());

        var finished = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Events().FirstOrDefault(e => e.Kind == "battery_test_finished" && e.Device == "eps-01")),
            e => e is not null,
            "the duration test finishes",
            TimeSpan.FromSeconds(90));
        Assert.Equal("failed", finished!.Attributes!["outcome"]);
        var runtime = finished.Values!["runtime_s"].AsDouble();

        var ticket = await OneTicketAsync(asset, "failed_discharge");
        Assert.Equal(2, ticket.Grade());
        Assert.Equal(runtime, ticket.GetProperty("evidence").GetProperty("runtime_s").GetDouble(), 3);
        var minutes = (runtime / 60).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(minutes, ticket.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_is_served_with_its_deadlines_history_and_crew()
    {
        await Rig.InjectFaultAsync("box-01", new { fault = "high_leakage", ma = 45 });
        var listed = await OneTicketAsync("rig/gw-rig/box-01", "high_leakage");
        var ticket = await Rig.TicketAsync(listed.Number());

        Assert.Matches(@"^YW\d{4}-\d{4}$", ticket.Number());
        Assert.Equal("crew-central", ticket.GetProperty("crew").GetString());
        Assert.Equal("open", ticket.GetProperty("status").GetString());
        var deadlines = ticket.GetProperty("deadlines").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Contains("response", deadlines);
        Assert.Contains("arrival", deadlines);
        Assert.Equal("opened", ticket.GetProperty("history")[0].GetProperty("what").GetString());

        var alert = await Eventually.ValueAsync(
            () => Task.FromResult(Rig.Recorder.Messages.FirstOrDefault(m => m.Topic == "lighting/alerts/crew-central" && JsonDocument.Parse(m.Payload).RootElement.ToString().Contains(ticket.Number(), StringComparison.Ordinal))),
            m => m is not null,
            "the crew is alerted",
            Pipeline);
        Assert.NotNull(alert);

        // Drawn on the readings' time axis too.
        await Eventually.TrueAsync(
            async () => (await Rig.Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute",
                $"SELECT grade FROM events WHERE kind = 'ticket_opened' AND ticket = '{ticket.Number()}'")).StandardOutput.Contains(",2", StringComparison.Ordinal),
            "the ticket's opening in InfluxDB's events measurement",
            Pipeline);
    }

    [Fact]
    public async Task Rules_killed_and_restarted_neither_misses_a_fault_that_began_while_it_was_down_nor_reopens_or_forgets_one()
    {
        const string asset = "rig/gw-rig/box-01";
        var rules = Rig.Rules!;

        // Down while the fault begins: the broker keeps the readings for Rules' session.
        await KillAsync(rules);
        await Rig.InjectFaultAsync("box-01", new { fault = "high_earth_resistance", ohm = 6.5 });
        await Task.Delay(TimeSpan.FromSeconds(4));
        await rules.StartAgainAsync();
        var ticket = await OneTicketAsync(asset, "high_earth_resistance");
        Assert.Equal(3, ticket.Grade());

        // Killed while the condition holds: back up, it knows the condition from the open ticket.
        await KillAsync(rules);
        await rules.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(await TicketsAsync(asset, "high_earth_resistance"));

        // And it still sees the condition end.
        await Rig.ClearFaultAsync("box-01", "high_earth_resistance");
        await Eventually.TrueAsync(
            async () => !(await TicketsAsync(asset, "high_earth_resistance")).Single().ConditionActive(),
            $"the earth fault clears on its ticket\n{Rig.Logs()}",
            Pipeline);
        Assert.Single(await TicketsAsync(asset, "high_earth_resistance"));
    }

    [Theory]
    [InlineData("grade=9", "grade")]
    [InlineData("status=lost", "status")]
    [InlineData("fault=alien_abduction", "fault")]
    [InlineData("asset=%3Cscript%3E", "asset")]
    [InlineData("site=a%2Fb", "site")]
    [InlineData("limit=100000", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task A_hostile_ticket_query_gets_a_problem_naming_the_parameter(string query, string parameter)
    {
        using var response = await Rig.ApiClient.GetAsync(new Uri(Rig.Api!.HealthUrl, "/api/tickets?" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), problem.RootElement.ToString());
    }

    [Theory]
    [InlineData("/api/tickets")]
    [InlineData("/api/tickets/YW2611-0001")]
    [InlineData("/api/me")]
    public async Task The_running_api_answers_nobody_who_has_not_signed_in(string path)
    {
        using var response = await Api.GetAsync(new Uri(Rig.Api!.HealthUrl, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_body_past_4_KiB_is_refused_unread_by_the_running_api()
    {
        var body = $$"""{"name":"rig.operator","password":"{{new string('x', 8 * 1024)}}"}""";

        using var response = await Api.PostAsync(new Uri(Rig.Api!.HealthUrl, "/api/auth/sign-in"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // The Api goes on serving: a signed-in request after it is answered.
        using var me = await Rig.ApiClient.GetAsync(new Uri(Rig.Api!.HealthUrl, "/api/me"));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Theory]
    [InlineData("not-a-ticket", HttpStatusCode.BadRequest)]
    [InlineData("YW2611-9999", HttpStatusCode.NotFound)]
    public async Task An_unknown_or_malformed_ticket_number_gets_a_problem(string number, HttpStatusCode expected)
    {
        using var response = await Rig.ApiClient.GetAsync(new Uri(Rig.Api!.HealthUrl, "/api/tickets/" + number));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Hostile_messages_are_counted_by_reason_and_Rules_keeps_judging()
    {
        await using var client = new MqttClient(Rig.Broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "hostile" });
        await client.ConnectAsync(CancellationToken.None);
        async Task SendAsync(string topic, string payload) => await client.PublishAsync(
            new MqttApplicationMessage { Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), QualityOfService = MqttQualityOfService.AtLeastOnce },
            CancellationToken.None);

        await SendAsync("lighting/rig/gw-rig/telemetry", "{not json");
        await SendAsync("lighting/rig/gw-rig/telemetry", """{"v":99,"gateway":"gw-rig","site":"rig","seq":1,"sent":"2026-11-25T00:00:00.000Z","readings":[]}""");
        await SendAsync("lighting/rig/gw-rig/telemetry", """{"v":1,"gateway":"gw-other","site":"rig","seq":1,"sent":"2026-11-25T00:00:00.000Z","readings":[]}""");
        await SendAsync("lighting/rig/gw-rig/event", """{"kind":"battery_test_finished","ts":"yesterday"}""");

        await Eventually.TrueAsync(
            async () =>
            {
                using var health = JsonDocument.Parse(await Rig.Rules!.HealthAsync());
                var rejected = health.RootElement.GetProperty("rules").GetProperty("rejected");
                return rejected.GetProperty("malformed_json").GetInt64() >= 2
                    && rejected.GetProperty("unknown_version").GetInt64() >= 1
                    && rejected.GetProperty("topic_mismatch").GetInt64() >= 1;
            },
            "each hostile message counted by its reason",
            Pipeline);
        Assert.Contains("\"status\": \"healthy\"", await Rig.Rules!.HealthAsync(), StringComparison.Ordinal);
    }

    private static readonly HttpClient Api = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_running_api_shows_the_plant_live_and_streams_a_ticket_another_process_opens()
    {
        var api = Rig.Api!;
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        var mast = await Eventually.ValueAsync(
            () => ApiJsonAsync("/api/sites/rig/devices/mast-01"),
            d => d.GetProperty("online").GetBoolean() && d.GetProperty("lighting").ValueKind == JsonValueKind.Object,
            "mast-01 online and due on in the Api",
            Pipeline);
        Assert.Equal(12, mast.GetProperty("lighting").GetProperty("lamps_installed").GetInt32());
        var site = await ApiJsonAsync("/api/sites/rig");
        Assert.Equal("online", site.GetProperty("gateways").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "gw-rig").GetProperty("state").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.HealthUrl, "/api/events"));
        using var response = await Rig.ApiClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var guard = new CancellationTokenSource(Pipeline);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        Assert.True(await NextEventAsync(events, "reset", _ => true, guard.Token), "the stream opens with a reset");

        // Opened by this process on the shared file, as Rules opens one: the Api follows the change feed.
        var store = new SqliteTicketRepository(new SqliteDatabase(Rig.DatabasePath), new TicketOptions { TimeZone = Rig.Options.TimeZone }, TimeProvider.System);
        var opened = await store.OpenManualAsync(
            new ManualTicket(new AssetRef("rig", "gw-rig", "sc-01"), FaultType.DoorOpen, FaultGrade.Grade3, "Cabinet door found open", "crew-north", CrewZone.Inner, "rig.operator"),
            CancellationToken.None);

        var number = opened.Number.ToString();
        Assert.True(
            await NextEventAsync(events, "ticket", data => data.GetProperty("number").GetString() == number, guard.Token),
            $"ticket {number} on the stream");
        var controller = await ApiJsonAsync("/api/sites/rig/devices/sc-01");
        Assert.Contains(controller.GetProperty("open_tickets").EnumerateArray(), t => t.GetProperty("number").GetString() == number);
    }

    /// <summary>Reads the stream until an event of <paramref name="type"/> whose data is <paramref name="wanted"/>; false when the stream ends first.</summary>
    private static async Task<bool> NextEventAsync(StreamReader events, string type, Func<JsonElement, bool> wanted, CancellationToken cancellationToken)
    {
        string? current = null;
        while (await events.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                current = line["event: ".Length..];
            }
            else if (current == type && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                if (wanted(data.RootElement))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private async Task<JsonElement> ApiJsonAsync(string path)
    {
        using var document = JsonDocument.Parse(await Rig.ApiClient.GetStringAsync(new Uri(Rig.Api!.HealthUrl, path)));
        return document.RootElement.Clone();
    }

    private static async Task KillAsync(ServiceProcess service)
    {
        service.Kill();
        await Eventually.TrueAsync(() => Task.FromResult(!service.IsRunning), "the process exits");
    }

    private async Task<JsonElement> OneTicketAsync(string asset, string fault)
    {
        var tickets = await Eventually.ValueAsync(
            () => TicketsAsync(asset, fault),
            t => t.Count > 0,
            $"a {fault} ticket on {asset}\n{Rig.Logs()}",
            Pipeline);

        // Give a duplicate the time to appear if the pipeline were to open one.
        await Task.Delay(TimeSpan.FromSeconds(3));
        tickets = await TicketsAsync(asset, fault);
        Assert.Single(tickets);
        return tickets[0];
    }

    private Task<IReadOnlyList<JsonElement>> TicketsAsync(string asset, string fault) =>
        Rig.TicketsAsync($"asset={Uri.EscapeDataString(asset)}&fault={fault}");
}
