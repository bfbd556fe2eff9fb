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

    public ApiHost()
    {
        DatabasePath = Path.Combine(RepositoryPaths.NewScratchDirectory("api"), "maintenance.db");
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Api:Database", DatabasePath)
            .UseSetting("Api:SiteFiles:0", Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json"))
            .UseSetting("Mqtt:Port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

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

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    private static async Task<string> OpenAsync(ITicketRepository tickets, string device, string crew)
    {
        var detected = new FaultDetected(new AssetRef("north", "gw-1", device), FaultType.MastOutage, FaultGrade.Grade2, DateTimeOffset.UtcNow,
            "7 of 12 lamps dark", new Dictionary<string, double> { ["lamps_lit"] = 5 }, crew, CrewZone.Inner);
        return (await tickets.RecordAsync(detected, CancellationToken.None)).Ticket.Number.ToString();
    }
}
