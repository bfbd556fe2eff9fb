using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Api.Access;
using Telemetry.Api.Tests.Access;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Reports;

/// <summary>
/// November 2026 of the demo plant (Asia/Shanghai), designed so that every figure of its report can be worked out by
/// hand. Readings go into a real influxd as Ingest writes them, every 5 minutes while the lighting is due (18:00 to
/// 06:00 local; 18:00 to 24:00 on sc-01 circuit 2), and tickets into the real SQLite store with known step times.
/// <list type="bullet">
/// <item>sc-01 circuit 1 (crew-central): 24 lamps, 12 of them dark through the nights starting 10, 11 and 12 November.</item>
/// <item>sc-01 circuit 2 (crew-central): 22 lamps, due 18:00 to 24:00 only; lit all night, so lit while off too.</item>
/// <item>mast-05 (crew-masts): 24 lamps, 6 dark through the night starting 5 November; no readings 22:00 to 02:00 in the
/// night starting 20 November.</item>
/// <item>Work orders due in November: mast-05 (crew-masts) done the day before; sc-01 (crew-central) done a day late;
/// box-01 (crew-central) skipped; eps-01 (crew-central) done early. Beside them one due 31 October and one due 3 December.</item>
/// <item>Battery tests in November (the four emergency units are crew-central's): eps-01 failed its function check on
/// 5 November and passed it on the 6th; eps-02 passed on the 12th; eps-03 passed on the 8th and failed a duration test
/// on the 25th; eps-04 ran none (its last passed on 28 October). eps-01 also passed a duration test on 10 June 2024.</item>
/// <item>eps-01's battery pack and charger fuse replaced under a ticket of December 2025.</item>
/// </list>
/// The Api's clock stands at <see cref="Now"/>, 7 December 2026 noon in Shanghai.
/// </summary>
public sealed class MonthlyReportPlant : IAsyncLifetime
{
    public static readonly TimeSpan Local = TimeSpan.FromHours(8);

    private readonly Dictionary<string, string> tokens = [];
    private InfluxServer? influx;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>The readings store, for tests that stop it and start it again.</summary>
    public InfluxServer Influx => influx!;

    /// <summary>The Api's today: warranties are reckoned against 7 December 2026.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, Local);

    public static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Local);

    public async Task InitializeAsync()
    {
        influx = await InfluxServer.StartAsync();
        using (var client = new InfluxClient(new InfluxClientOptions { BaseAddress = influx.Url, Database = "telemetry" }))
        {
            await client.CreateDatabaseAsync("telemetry");
            foreach (var batch in Readings().Concat(BatteryTests()).Chunk(5000))
            {
                await client.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', batch)));
            }
        }

        var database = Path.Combine(RepositoryPaths.NewScratchDirectory("api-reports"), "maintenance.db");
        await WriteTicketsAsync(database);
        await WriteWorkOrdersAsync(database);

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Api:Database", database)
            .UseSetting("Api:TimeZone", "Asia/Shanghai")
            .UseSetting("Api:SiteFiles:0", ApiHost.DemoSite)
            .UseSetting("Mqtt:Port", FreePort.Next().ToString(CultureInfo.InvariantCulture))
            .UseSetting("Influx:Url", influx.Url.ToString())
            .UseSetting("Influx:Database", "telemetry")

            // The tests make the scheduled reports themselves, at the instants they choose.
            .UseSetting("Api:Reports:Scheduled", "false")
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now))));

        var users = Factory.Services.GetRequiredService<UserStore>();
        await users.SetAsync("operator.zhang", ApiHost.Password, [Role.Operator], [], CancellationToken.None);
        await users.SetAsync("crew.li", ApiHost.Password, [Role.Crew], ["crew-masts"], CancellationToken.None);
        foreach (var user in new[] { "operator.zhang", "crew.li" })
        {
            tokens[user] = (await users.IssueTokenAsync(user, "tests", null, CancellationToken.None)).Token;
        }
    }

    public HttpClient As(string user)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens[user]);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (influx is not null)
        {
            await influx.DisposeAsync();
        }
    }

    // The nights starting 31 October to 30 November: a reading every 5 minutes from 18:00 to 05:55 with the lighting
    // commanded on, and one at 06:00 with it off.
    private static IEnumerable<string> Readings()
    {
        for (var night = At(10, 31, 18); night <= At(11, 30, 18); night = night.AddDays(1))
        {
            for (var minutes = 0; minutes <= 12 * 60; minutes += 5)
            {
                var at = night.AddMinutes(minutes);
                var ms = at.ToUnixTimeMilliseconds();
                var on = minutes < 12 * 60;
                var circuit1Lit = night.Day is 10 or 11 or 12 && night.Month == 11 ? 12 : 24;
                yield return Line("street_controller,circuit=1,device=sc-01", circuit1Lit, 24, on, ms);
                yield return Line("street_controller,circuit=2,device=sc-01", 22, 22, on && minutes < 6 * 60, ms);

                var gap = night == At(11, 20, 18) && minutes > 4 * 60 - 5 && minutes < 8 * 60;
                if (!gap)
                {
                    yield return Line("high_mast,device=mast-05", night == At(11, 5, 18) ? 18 : 24, 24, on, ms);
                }
            }
        }
    }

    // The gateway's battery_test_finished events as Ingest stores them.
    private static IEnumerable<string> BatteryTests()
    {
        static string Test(string device, DateTimeOffset at, string test, string outcome, int runtime) => string.Create(
            CultureInfo.InvariantCulture,
            $"events,device={device},gateway=gw-demo-01,kind=battery_test_finished,site=demo test=\"{test}\",outcome=\"{outcome}\",runtime_s={runtime},message=\"{(outcome == "passed" ? "planned duration reached" : "cut-off voltage reached")}\" {at.ToUnixTimeMilliseconds()}");

        yield return Test("eps-01", new DateTimeOffset(2024, 6, 10, 10, 0, 0, Local), "duration", "passed", 5400);
        yield return Test("eps-01", At(11, 5, 10), "function", "failed", 20);
        yield return Test("eps-01", At(11, 6, 10), "function", "passed", 60);
        yield return Test("eps-02", At(11, 12, 10), "function", "passed", 60);
        yield return Test("eps-03", At(11, 8, 10), "function", "passed", 60);
        yield return Test("eps-03", At(11, 25, 10), "duration", "failed", 2900);
        yield return Test("eps-04", At(10, 28, 10), "function", "passed", 60);
    }

    // W1 to W4 due in November, W0 on 31 October and W5 on 3 December; done or skipped as the summary says.
    private static async Task WriteWorkOrdersAsync(string database)
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(database));
        var cancel = CancellationToken.None;

        async Task Order(string device, DeviceFamily family, MaintenanceTask task, string crew, int month, int day, DateTimeOffset? done, bool skip = false)
        {
            var due = new DateOnly(2026, month, day);
            var planned = new PlannedWorkOrder(new AssetRef("demo", "gw-demo-01", device), family, task, $"2026-{month:D2}-{day:D2}", due,
                new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), Local), crew, CrewZone.Inner);
            var order = (await store.AddAsync([planned], At(10, 1, 8), cancel)).Single();
            if (done is { } at)
            {
                await store.ChangeAsync(order.Number, o => o.Start("li.wei", at.AddHours(-1)), cancel);
                var checklist = task.Checklist().ToDictionary(c => c, _ => true);
                var readings = task.RequiredReadings().ToDictionary(r => r, _ => 1.0);
                await store.ChangeAsync(order.Number, o => o.Complete("li.wei", at, checklist, readings, "all in order", Site), cancel);
            }
            else if (skip)
            {
                await store.ChangeAsync(order.Number, o => o.Skip("operator.zhang", At(month, day, 9), "road closed for works"), cancel);
            }
        }

        await Order("sc-03", DeviceFamily.StreetController, MaintenanceTask.LanternCleaning, "crew-central", 10, 31, At(10, 30, 15));
        await Order("mast-05", DeviceFamily.HighMast, MaintenanceTask.LiftingMechanismService, "crew-masts", 11, 10, At(11, 9, 15));
        await Order("sc-01", DeviceFamily.StreetController, MaintenanceTask.LanternCleaning, "crew-central", 11, 15, At(11, 16, 10));
        await Order("box-01", DeviceFamily.DistributionBox, MaintenanceTask.RcdFuseCheck, "crew-central", 11, 20, null, skip: true);
        await Order("eps-01", DeviceFamily.EmergencyBattery, MaintenanceTask.EmergencyFunctionCheck, "crew-central", 11, 30, At(11, 28, 11));
        await Order("mast-05", DeviceFamily.HighMast, MaintenanceTask.LiftingMechanismService, "crew-masts", 12, 3, At(12, 2, 15));
    }

    /// <summary>The demo site as the Api loads it.</summary>
    public static Site Site { get; } = SiteLoader.LoadFile(ApiHost.DemoSite, Devices.Profiles.ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles")));

    private static string Line(string series, int lit, int installed, bool on, long ms) => string.Create(
        CultureInfo.InvariantCulture,
        $"{series},gateway=gw-demo-01,site=demo lamps_lit={lit}i,lamps_installed={installed}i,commanded_on={(on ? "true" : "false")} {ms}");

    // T5 (October, fix due in November and missed), T2, T3 (repeats T2), T1, T4 (open at the month's end).
    private static async Task WriteTicketsAsync(string database)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 12, 1, 0, 0, 0, Local));
        var store = new SqliteTicketRepository(new SqliteDatabase(database), new TicketOptions { TimeZone = "Asia/Shanghai" }, time);
        var repair = new Resolution("lamp drivers burnt out", "replaced drivers", ["driver 150W"], RepairKind.Hardware);
        var cancel = CancellationToken.None;

        async Task<TicketNumber> Ticket(string device, string? circuit, FaultType fault, string crew, DateTimeOffset opened,
            DateTimeOffset acknowledged, DateTimeOffset? onSite, DateTimeOffset? resolved, DateTimeOffset? closed)
        {
            time.SetUtcNow(opened);
            var detected = new FaultDetected(new AssetRef("demo", "gw-demo-01", device, circuit), fault, fault.DefaultGrade(), opened,
                $"{fault.ToName()} on {device}", new Dictionary<string, double>(), crew, CrewZone.Inner);
            var number = (await store.RecordAsync(detected, cancel)).Ticket.Number;
            await store.ChangeAsync(number, t => t.Acknowledge("li.wei", acknowledged), cancel);
            if (onSite is { } arrived)
            {
                await store.ChangeAsync(number, t => t.ArriveOnSite("li.wei", arrived), cancel);
            }

            if (resolved is { } fixedAt)
            {
                await store.ChangeAsync(number, t => t.Resolve(repair, "li.wei", fixedAt), cancel);
            }

            if (closed is { } closedAt)
            {
                await store.ChangeAsync(number, t => t.Close("operator.zhang", closedAt, "verified with the customer"), cancel);
            }

            return number;
        }

        // T6: eps-01's failed function test of December 2025, repaired with a new battery pack and charger fuse.
        time.SetUtcNow(new DateTimeOffset(2025, 12, 3, 10, 0, 0, Local));
        var battery = (await store.RecordAsync(new FaultDetected(new AssetRef("demo", "gw-demo-01", "eps-01"), FaultType.FailedFunctionTest, FaultType.FailedFunctionTest.DefaultGrade(),
            time.GetUtcNow(), "function test failed on eps-01", new Dictionary<string, double>(), "crew-central", CrewZone.Inner), cancel)).Ticket.Number;
        await store.ChangeAsync(battery, t => t.Acknowledge("li.wei", new DateTimeOffset(2025, 12, 3, 10, 20, 0, Local)), cancel);
        await store.ChangeAsync(battery, t => t.ArriveOnSite("li.wei", new DateTimeOffset(2025, 12, 3, 11, 30, 0, Local)), cancel);
        await store.ChangeAsync(battery, t => t.Resolve(
            new Resolution("battery pack worn out", "replaced battery pack and charger fuse", ["battery pack 12 V 7 Ah", "charger fuse 2 A"], RepairKind.Hardware),
            "li.wei", new DateTimeOffset(2025, 12, 4, 9, 0, 0, Local)), cancel);
        await store.ChangeAsync(battery, t => t.Close("operator.zhang", new DateTimeOffset(2025, 12, 5, 9, 0, 0, Local), "function test passed"), cancel);

        // T5: grade 2, opened 30 October 10:00; fix due 1 November 10:00, resolved 12:00 (50 h).
        await Ticket("sc-02", "1", FaultType.LowInsulation, "crew-central", At(10, 30, 10), At(10, 30, 10, 30), At(10, 30, 15), At(11, 1, 12), At(11, 2, 9));

        // T2: grade 2, opened 5 November 19:00; acknowledged after 70 min (missed), on site after 11 h, resolved after 14 h.
        await Ticket("mast-05", null, FaultType.MastOutage, "crew-masts", At(11, 5, 19), At(11, 5, 20, 10), At(11, 6, 6), At(11, 6, 9), At(11, 6, 15));

        // T3: the same fault on mast-05 three days after T2 closed: a repeat repair; every step on time, resolved after 10 h.
        await Ticket("mast-05", null, FaultType.MastOutage, "crew-masts", At(11, 9, 19), At(11, 9, 19, 30), At(11, 10, 3), At(11, 10, 5), At(11, 10, 12));

        // T1: grade 1, opened 10 November 18:30; acknowledged after 5 min, on site after 90 min, resolved after 26 h (missed).
        await Ticket("sc-01", "1", FaultType.TotalDark, "crew-central", At(11, 10, 18, 30), At(11, 10, 18, 35), At(11, 10, 20), At(11, 11, 20, 30), At(11, 12, 10));

        // T4: grade 3, opened 29 November 22:00, acknowledged after an hour; arrival and fix fall due in December.
        await Ticket("sc-01", null, FaultType.DoorOpen, "crew-central", At(11, 29, 22), At(11, 29, 23), null, null, null);
    }
}
