using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Access;
using Telemetry.Api.Tests.Access;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Thresholds;

/// <summary>A backtest reaching more devices than one request may replay is refused before anything is read.</summary>
public sealed class BacktestBoundsTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private WebApplicationFactory<Program> factory = null!;
    private string token = "";

    public async Task InitializeAsync()
    {
        // One site of 210 masts on one gateway: more than a backtest replays.
        var folder = RepositoryPaths.NewScratchDirectory("backtest-bounds");
        var siteFile = Path.Combine(folder, "site.json");
        var masts = Enumerable.Range(1, 210).Select(n => new PlantDevice(string.Create(CultureInfo.InvariantCulture, $"mast-{n:000}"), "jg-hmc24", "high_mast", true, n, 1)).ToList();
        await File.WriteAllTextAsync(siteFile, PlantRig.SiteJson(new PlantRigOptions { Devices = masts }, "/dev/ttyUSB0", 1502));
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Api:Database", Path.Combine(folder, "maintenance.db"))
            .UseSetting("Api:SiteFiles:0", siteFile)
            .UseSetting("Api:ProfilesDirectory", Path.Combine(RepositoryPaths.Hardware, "profiles")));
        var users = factory.Services.GetRequiredService<UserStore>();
        await users.SetAsync("engineer.wang", Password, [Role.Engineer], [], CancellationToken.None);
        token = (await users.IssueTokenAsync("engineer.wang", "tests", null, CancellationToken.None)).Token;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_proposal_for_the_whole_site_is_refused_naming_the_changes_and_one_for_a_mast_is_served()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var from = DateTimeOffset.UtcNow.AddDays(-2);

        await ApiHost.AssertNamesAsync(await client.PostAsJsonAsync("/api/thresholds/backtest", new
        {
            changes = new[] { new { parameter = "lamps.outage_ratio", scope = "site:rig", value = 0.3 } }, from, to = from.AddDays(1),
        }), "changes");

        // Narrowed to one mast, the proposal is replayed; this Api has no InfluxDB, so the readings cannot be read.
        using var narrowed = await client.PostAsJsonAsync("/api/thresholds/backtest", new
        {
            changes = new[] { new { parameter = "lamps.outage_ratio", scope = "device:rig/mast-007", value = 0.3 } }, from, to = from.AddDays(1),
        });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, narrowed.StatusCode);

        // The effective value of one mast names where it comes from.
        var view = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/thresholds?site=rig&device=mast-007");
        Assert.Equal("high_mast", view.GetProperty("for").GetProperty("family").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/thresholds?site=rig&device=mast-999")).StatusCode);
    }
}
