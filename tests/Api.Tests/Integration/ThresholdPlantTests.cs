using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Devices.Sites;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Integration;

/// <summary>
/// Three masts with every service running for real (simulator, gateway, Mosquitto, Ingest with InfluxDB, Rules and
/// Api), and an engineer of the Api. Lamps do not fail by themselves, so a test knows exactly how many are dark.
/// </summary>
public sealed class ThresholdPlantFixture : IAsyncLifetime
{
    public PlantRig Rig { get; private set; } = null!;

    public HttpClient Engineer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Rig = await PlantRig.StartAsync(new PlantRigOptions
        {
            Devices =
            [
                new("mast-01", "jg-hmc24", "high_mast", true, 1, 1, Crew: "crew-masts"),
                new("mast-02", "jg-hmc24", "high_mast", true, 2, 1, Crew: "crew-masts"),
                new("mast-03", "jg-hmc24", "high_mast", true, 3, 1, Crew: "crew-masts"),
            ],
            WithIngest = true,
            WithRules = true,
            SimulatorSettings = new Dictionary<string, string>
            {
                ["Simulator:Physics:LampMtbfHours"] = "1000000000",
                ["Simulator:Tick"] = "00:00:00.050",
            },
        });
        Engineer = await Rig.SignInAsync("rig.engineer", "engineer");
    }

    public async Task DisposeAsync()
    {
        Engineer?.Dispose();
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

/// <summary>Thresholds changed and backtested through the running Api, applied by the running Rules.</summary>
public sealed class ThresholdPlantTests(ThresholdPlantFixture fixture) : IClassFixture<ThresholdPlantFixture>
{
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);

    private PlantRig Rig => fixture.Rig;

    private Uri Api => Rig.Api!.HealthUrl;

    [Fact]
    public async Task A_lower_outage_ratio_set_by_an_engineer_is_applied_by_rules_and_four_dark_lamps_of_twelve_open_an_outage()
    {
        const string asset = "rig/gw-rig/mast-03";
        using var changed = await fixture.Engineer.PostAsJsonAsync(new Uri(Api, "/api/thresholds/changes"), new
        {
            parameter = "lamps.outage_ratio", scope = "device:rig/mast-03", value = 0.3, reason = "mast-03 lights a junction: a third dark is an outage",
        });
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        var version = (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        // Rules polls the store every 0.5 s and logs each change it takes.
        await Eventually.TrueAsync(
            () => Task.FromResult(Rig.Rules!.Output.Contains($"at version {version}: mast-03 lights a junction", StringComparison.Ordinal)),
            "Rules takes the change", explain: Rig.Logs);

        // 4 of 12 dark: a single-lamps fault at the default 0.4, an outage at 0.3.
        await Rig.CommandDeviceAsync("mast-03", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-03", new { fault = "lamps_dark", count = 4 });
        var outage = await Eventually.ValueAsync(
            () => Rig.TicketsAsync($"asset={Uri.EscapeDataString(asset)}&fault=mast_outage"), t => t.Count > 0, "a mast_outage ticket on mast-03", Pipeline, Rig.Logs);
        Assert.Equal(2, outage[0].GetProperty("grade").GetInt32());
        Assert.Empty(await Rig.TicketsAsync($"asset={Uri.EscapeDataString(asset)}&fault=single_lamps_dark"));

        // The history names the engineer and the reason; an operator may read it but not change it.
        var history = await Rig.ApiClient.GetFromJsonAsync<JsonElement>(new Uri(Api, "/api/thresholds/history?scope=device:rig/mast-03"));
        var row = history.GetProperty("changes")[0];
        Assert.Equal(("rig.engineer", "mast-03 lights a junction: a third dark is an outage"), (row.GetProperty("author").GetString(), row.GetProperty("reason").GetString()));
        using var refused = await Rig.ApiClient.PostAsJsonAsync(new Uri(Api, "/api/thresholds/changes"), new { parameter = "lamps.outage_ratio", scope = "global", value = 0.2, reason = "operator" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_backtest_of_the_outage_ratio_at_0_3_over_a_stored_day_lists_the_single_lamp_tickets_that_would_be_outages_and_writes_nothing()
    {
        // A stored day long enough past that the live plant wrote nothing in it: mast-01 all lit, mast-02 4 of 12 dark.
        var day = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-3), TimeSpan.Zero);
        await StoreDayAsync(day, ("mast-01", 12), ("mast-02", 8));

        // What really happened that night: the single-lamps ticket Rules opened on mast-02.
        var real = await OpenRealTicketAsync(new FaultDetected(new AssetRef("rig", "gw-rig", "mast-02"), FaultType.SingleLampsDark, FaultGrade.Grade3,
            day.AddHours(11).AddMinutes(10), "4 of 12 lamps dark", new Dictionary<string, double> { ["lamps_dark"] = 4 }, "crew-masts", CrewZone.Inner));
        var thresholdsBefore = await Rig.ApiClient.GetStringAsync(new Uri(Api, "/api/thresholds"));
        var ticketsBefore = await TicketsOfTheDayAsync(day);

        using var response = await fixture.Engineer.PostAsJsonAsync(new Uri(Api, "/api/thresholds/backtest"), new
        {
            changes = new[] { new { parameter = "lamps.outage_ratio", scope = "site:rig", value = 0.3 } },
            from = day,
            to = day.AddDays(1),
        });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var result = JsonDocument.Parse(text);
        var regrade = Assert.Single(result.RootElement.GetProperty("regraded").EnumerateArray());
        Assert.Equal("mast-02", regrade.GetProperty("current").GetProperty("asset").GetProperty("device").GetString());
        Assert.Equal(("single_lamps_dark", 3), (regrade.GetProperty("current").GetProperty("fault").GetString(), regrade.GetProperty("current").GetProperty("grade").GetInt32()));
        Assert.Equal(("mast_outage", 2), (regrade.GetProperty("proposed").GetProperty("fault").GetString(), regrade.GetProperty("proposed").GetProperty("grade").GetInt32()));
        Assert.True(real == regrade.GetProperty("actual_ticket").GetString(), text);
        Assert.Empty(result.RootElement.GetProperty("would_open").EnumerateArray());
        Assert.Empty(result.RootElement.GetProperty("would_not_open").EnumerateArray());
        Assert.Contains(result.RootElement.GetProperty("actual").EnumerateArray(), t => t.GetProperty("number").GetString() == real);

        // Nothing written: the thresholds and the day's tickets are as they were.
        Assert.Equal(thresholdsBefore, await Rig.ApiClient.GetStringAsync(new Uri(Api, "/api/thresholds")));
        Assert.Equal(ticketsBefore, await TicketsOfTheDayAsync(day));
    }

    [Fact]
    public async Task Service_levels_changed_by_an_admin_are_taken_by_rules_without_a_restart_for_the_next_tickets_deadlines()
    {
        const string asset = "rig/gw-rig/mast-01";
        using var admin = await Rig.SignInAsync("rig.admin", "admin");
        await Rig.ChangeServiceLevelsAsync(admin, new Dictionary<string, long?> { ["grade2_respond_min"] = 45 }, "the contract gives 45 minutes for a grade-2 answer");

        // 5 of 12 dark: a grade-2 outage, answered within the new 45 minutes.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 5 });
        var outage = (await Eventually.ValueAsync(
            () => Rig.TicketsAsync($"asset={Uri.EscapeDataString(asset)}&fault=mast_outage"), t => t.Count > 0, "a mast_outage ticket on mast-01", Pipeline, Rig.Logs))[0];
        var opened = outage.GetProperty("opened_at").GetDateTimeOffset();
        var response = outage.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "response");
        Assert.Equal(opened.AddMinutes(45), response.GetProperty("due").GetDateTimeOffset());
    }

    /// <summary>
    /// A day of readings every 10 minutes as Ingest stores them: the masts commanded on from 11:00 to 21:00 UTC, the
    /// night at the rig's site in Shanghai (UTC+8) in any season.
    /// </summary>
    private async Task StoreDayAsync(DateTimeOffset day, params (string Device, int Lit)[] masts)
    {
        var lines = new StringBuilder();
        for (var at = day; at < day.AddDays(1); at = at.AddMinutes(10))
        {
            var on = at.Hour is >= 11 and < 21;
            foreach (var (device, lit) in masts)
            {
                lines.Append(CultureInfo.InvariantCulture,
                    $"high_mast,site=rig,gateway=gw-rig,device={device} commanded_on={(on ? "true" : "false")},lamps_lit={(on ? lit : 0)}i,lamps_installed=12i,supply_present=true,door_open=false {at.ToUnixTimeMilliseconds()}\n");
            }
        }

        using var client = new InfluxClient(new InfluxClientOptions { BaseAddress = Rig.Influx!.Url, Database = "telemetry" });
        await client.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()));
    }

    private async Task<string> OpenRealTicketAsync(FaultDetected detected)
    {
        // The store stamps a ticket with its own clock: here, the time the fault was seen that night.
        // Worked and closed that night as crews do, so that no escalation of the running Rules changes it since.
        var tickets = new SqliteTicketRepository(new SqliteDatabase(Rig.DatabasePath), new TicketOptions(), new FakeTimeProvider(detected.At));
        var number = (await tickets.RecordAsync(detected, CancellationToken.None)).Ticket.Number;
        await tickets.ChangeAsync(number, t => t.Acknowledge("rig.crew", detected.At.AddMinutes(5)), CancellationToken.None);
        await tickets.ChangeAsync(number, t => t.ArriveOnSite("rig.crew", detected.At.AddMinutes(40)), CancellationToken.None);
        await tickets.ChangeAsync(number, t => t.Resolve(new Resolution("drivers failed", "drivers replaced", [], RepairKind.Hardware), "rig.crew", detected.At.AddMinutes(90)), CancellationToken.None);
        await tickets.ChangeAsync(number, t => t.Close("rig.operator", detected.At.AddHours(3), "all lamps lit"), CancellationToken.None);
        return number.ToString();
    }

    private async Task<string> TicketsOfTheDayAsync(DateTimeOffset day)
    {
        var tickets = new SqliteTicketRepository(new SqliteDatabase(Rig.DatabasePath), new TicketOptions(), TimeProvider.System);
        var list = await tickets.ListAsync(new TicketQuery { Site = "rig", OpenedFrom = day, OpenedTo = day.AddDays(1), Limit = TicketQuery.MaxLimit }, CancellationToken.None);
        return string.Join("\n", list.Select(t => $"{t.Number} {t.Fault.ToName()} {t.Status.ToName()} {t.Grade} {t.Version}"));
    }
}
