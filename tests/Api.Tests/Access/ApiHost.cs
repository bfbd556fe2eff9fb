using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Access;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Access;

/// <summary>
/// The Api in-process on a SQLite file of its own and the demo plant (no readings store, no broker), with one user of each role (crew members of <c>crew-north</c>)
/// and two tickets: one of <c>crew-north</c>, one of <c>crew-east</c>.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string Password = "correct horse battery";

    public static readonly IReadOnlyList<string> Users = ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"];

    private readonly Dictionary<string, string> tokens = [];
    private int devices;

    public ApiHost()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A host with more <paramref name="settings"/>, such as a small action rate limit.</summary>
    internal ApiHost(IReadOnlyDictionary<string, string> settings)
    {
        DatabasePath = Path.Combine(RepositoryPaths.NewScratchDirectory("api"), "maintenance.db");
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Api:Database", DatabasePath);
            b.UseSetting("Api:SiteFiles:0", DemoSite);

            // No broker: a command is a 503 past its authorization; tests that need one name their own.
            b.UseSetting("Mqtt:Port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));

            // A test class takes more actions a minute as one user than a person does; the limit's own test sets a small one.
            b.UseSetting("Api:ActionsPerMinute", "100000");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
    }

    /// <summary>The demo plant's site file: site <c>demo</c>, gateway <c>gw-demo-01</c>, devices <c>sc-01</c>...</summary>
    public static string DemoSite => Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json");

    public string DatabasePath { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public string NorthTicket { get; private set; } = "";

    public string EastTicket { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var store = Factory.Services.GetRequiredService<UserStore>();
        await store.SetAsync("operator.zhang", Password, [Role.Operator], [], CancellationToken.None);
        await store.SetAsync("crew.li", Password, [Role.Crew], ["crew-north"], CancellationToken.None);
        await store.SetAsync("engineer.wang", Password, [Role.Engineer], [], CancellationToken.None);
        await store.SetAsync("admin.chen", Password, [Role.Admin], [], CancellationToken.None);
        foreach (var user in Users)
        {
            tokens[user] = (await store.IssueTokenAsync(user, "tests", null, CancellationToken.None)).Token;
        }

        var tickets = Factory.Services.GetRequiredService<ITicketRepository>();
        NorthTicket = await OpenAsync(tickets, "mast-01", "crew-north");
        EastTicket = await OpenAsync(tickets, "mast-02", "crew-east");
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>A client signed in as <paramref name="user"/> with its bearer token, or anonymous when null.</summary>
    public HttpClient As(string? user)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[user]);
        }

        return client;
    }

    /// <summary>A new token of <paramref name="user"/>, to revoke.</summary>
    public async Task<string> SpareTokenIdAsync(string user) =>
        (await Factory.Services.GetRequiredService<UserStore>().IssueTokenAsync(user, "spare", null, CancellationToken.None)).Info.Id;

    /// <summary>
    /// A new ticket of <paramref name="crew"/> on a device of its own, taken through the store up to
    /// <paramref name="status"/> (acknowledged, on site, resolved or closed), so that a state-changing call has one to act on.
    /// </summary>
    public async Task<string> FreshTicketAsync(string crew, TicketStatus status = TicketStatus.Open)
    {
        var tickets = Factory.Services.GetRequiredService<ITicketRepository>();
        var number = await OpenAsync(tickets, NewDevice(), crew);
        if (status == TicketStatus.Open)
        {
            return number;
        }

        await tickets.ChangeAsync(TicketNumber.Parse(number), t =>
        {
            // At the opening itself: a step may not be before the one it follows, and the requests that follow come later.
            var at = t.OpenedAt;
            t.Acknowledge(crew, at);
            if (status >= TicketStatus.OnSite)
            {
                t.ArriveOnSite(crew, at);
            }

            if (status >= TicketStatus.Resolved)
            {
                t.Resolve(new Resolution("driver failed", "driver replaced", ["driver"], RepairKind.Hardware), crew, at);
            }

            if (status >= TicketStatus.Closed)
            {
                t.Close("operator.zhang", at, "verified with the caller");
            }
        }, CancellationToken.None);
        return number;
    }

    /// <summary>
    /// A new lantern-cleaning work order of the demo plant's street controller <c>sc-05</c> (crew <c>crew-north</c>, the
    /// crew members') or <c>sc-01</c> (<c>crew-central</c>), started when <paramref name="started"/>.
    /// </summary>
    public async Task<string> FreshWorkOrderAsync(string crew, bool started)
    {
        var store = Factory.Services.GetRequiredService<IWorkOrderStore>();
        var device = crew == "north" ? "sc-05" : "sc-01";
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3);
        var planned = new PlannedWorkOrder(new AssetRef("demo", "gw-demo-01", device), Contracts.DeviceFamily.StreetController, MaintenanceTask.LanternCleaning,
            $"matrix-{Interlocked.Increment(ref devices)}", due, new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), $"crew-{crew}", CrewZone.Inner);
        var order = (await store.AddAsync([planned], DateTimeOffset.UtcNow, CancellationToken.None)).Single();
        if (started)
        {
            await store.ChangeAsync(order.Number, o => o.Start($"crew-{crew}", DateTimeOffset.UtcNow), CancellationToken.None);
        }

        return order.Number.ToString();
    }

    /// <summary>A device name no ticket of this host has used yet.</summary>
    public string NewDevice() => $"mast-{100 + Interlocked.Increment(ref devices)}";

    /// <summary>Resolves the placeholders of a role-matrix path or body: <c>{north}</c>, <c>{east}</c>, <c>{device}</c>, and <c>{fresh-north}</c>, <c>{acknowledged-east}</c>... for a new ticket in that status.</summary>
    public async Task<string> ResolveAsync(string text)
    {
        text = text.Replace("{north}", NorthTicket, StringComparison.Ordinal).Replace("{east}", EastTicket, StringComparison.Ordinal)
            .Replace("{today}", DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (text.Contains("{device}", StringComparison.Ordinal))
        {
            text = text.Replace("{device}", NewDevice(), StringComparison.Ordinal);
        }

        foreach (var (name, status) in new[]
        {
            ("fresh", TicketStatus.Open), ("acknowledged", TicketStatus.Acknowledged), ("onsite", TicketStatus.OnSite),
            ("resolved", TicketStatus.Resolved), ("closed", TicketStatus.Closed),
        })
        {
            foreach (var crew in new[] { "north", "east" })
            {
                var placeholder = $"{{{name}-{crew}}}";
                if (text.Contains(placeholder, StringComparison.Ordinal))
                {
                    text = text.Replace(placeholder, await FreshTicketAsync($"crew-{crew}", status), StringComparison.Ordinal);
                }
            }
        }

        foreach (var crew in new[] { "north", "central" })
        {
            foreach (var started in new[] { false, true })
            {
                var placeholder = $"{{{(started ? "started" : "planned")}-order-{crew}}}";
                if (text.Contains(placeholder, StringComparison.Ordinal))
                {
                    text = text.Replace(placeholder, await FreshWorkOrderAsync(crew, started), StringComparison.Ordinal);
                }
            }
        }

        foreach (var scope in new[] { "unit", "crew-north", "crew-east" })
        {
            var placeholder = $"{{stored-{scope}}}";
            if (text.Contains(placeholder, StringComparison.Ordinal))
            {
                text = text.Replace(placeholder, await StoredReportAsync(scope == "unit" ? "unit" : $"crew:{scope}"), StringComparison.Ordinal);
            }
        }

        return text;
    }

    // A stored report of January 2000, before any the schedule makes: its id.
    private async Task<string> StoredReportAsync(string scope)
    {
        var store = Factory.Services.GetRequiredService<Api.Reports.StoredReports>();
        var workbook = Api.Reports.MonthlyReportWorkbook.Write(new Api.Reports.MonthlyReportView(
            "2000-01", scope, "UTC", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            new Api.Reports.LightingView(null, 0, 0, 0, 0, []), new Api.Reports.TicketCountsView(0, 0, 0), [], [], [],
            new Api.Reports.RepairsView(0, null), [], null, null));
        await store.AddAsync(Api.Reports.StoredReportKind.Monthly, "2000-01", scope, DateTimeOffset.UnixEpoch, "{}", workbook, CancellationToken.None);
        var entry = (await store.ListAsync(Api.Reports.StoredReportKind.Monthly, scope, null, Api.Reports.StoredReports.MaxLimit, CancellationToken.None))
            .Single(e => e.Period == "2000-01");
        return entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Asserts a 400 problem that names <paramref name="field"/> under <c>errors</c>.</summary>
    public static async Task AssertNamesAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            using var problem = JsonDocument.Parse(text);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no errors[{field}] in {text}");
        }
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    private static async Task<string> OpenAsync(ITicketRepository tickets, string device, string crew)
    {
        var detected = new FaultDetected(new AssetRef("north", "gw-1", device), FaultType.MastOutage, FaultGrade.Grade2, DateTimeOffset.UtcNow,
            "7 of 12 lamps dark", new Dictionary<string, double> { ["lamps_lit"] = 5 }, crew, CrewZone.Inner);
        return (await tickets.RecordAsync(detected, CancellationToken.None)).Ticket.Number.ToString();
    }
}
