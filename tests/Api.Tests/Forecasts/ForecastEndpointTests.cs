using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Access;
using Telemetry.Api.Tests.Access;
using Telemetry.Devices.Sites;
using Telemetry.Forecasting;
using Telemetry.Forecasting.Numerics;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Tests.Forecasts;

/// <summary><c>GET /api/forecasts</c> through the Api's real pipeline and its SQLite file.</summary>
public sealed class ForecastEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.UtcNow.Date;

    [Theory]
    [InlineData("operator.zhang")]
    [InlineData("engineer.wang")]
    public async Task Operators_and_engineers_read_the_forecasts_with_the_sentence_in_their_language_and_the_work_order(string user)
    {
        var number = await SeedAsync();
        using var client = host.As(user);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var list = await ApiHost.JsonAsync(await client.GetAsync("/api/forecasts?site=demo&kind=battery_end_of_life"));

        var eps = list.EnumerateArray().Single(f => f.GetProperty("asset").GetString() == "eps-02");
        Assert.Equal("battery_end_of_life", eps.GetProperty("kind").GetString());
        Assert.Equal(AsOf.AddDays(40), eps.GetProperty("low_date").GetDateTimeOffset());
        Assert.Equal(AsOf.AddDays(160), eps.GetProperty("high_date").GetDateTimeOffset());
        Assert.Equal(new DateForecast("eps-02", ForecastKind.BatteryEndOfLife, AsOf, AsOf.AddDays(100), AsOf.AddDays(40), AsOf.AddDays(160))
            .Sentence(new ForecastWording(System.Globalization.CultureInfo.InvariantCulture, "{0} will fail its yearly test around {1}, 80 % interval {2} to {3}", "", "")),
            eps.GetProperty("sentence").GetString());
        Assert.Equal(3, eps.GetProperty("observations").GetArrayLength());
        Assert.Equal(90, eps.GetProperty("limit").GetDouble());
        Assert.Equal(number, eps.GetProperty("work_order").GetString());
        Assert.All(list.EnumerateArray(), f => Assert.Equal("battery_end_of_life", f.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_crew_member_reads_every_forecast_but_the_work_orders_of_its_own_crews_only()
    {
        // The battery eps-02 is crew-central's, the box box-03 crew-north's: each forecast opens a work order of its crew.
        var battery = await SeedAsync();
        var insulation = new DateForecast("box-03", ForecastKind.InsulationTimeToLimit, AsOf, AsOf.AddDays(100), AsOf.AddDays(40), AsOf.AddDays(160));
        var readings = new List<Observation> { new(AsOf.AddDays(-60), 3), new(AsOf.AddDays(-30), 2), new(AsOf, 1.4) };
        var services = host.Factory.Services;
        await services.GetRequiredService<IForecastStore>().ReplaceAsync("demo", ForecastKind.InsulationTimeToLimit,
            [new StoredForecast("demo", insulation, new ForecastChart("MΩ", 0.5, readings, [readings[0], new(insulation.Expected, 0.5)]))], CancellationToken.None);
        var orders = services.GetRequiredService<IWorkOrderStore>();
        await new PredictiveWorkOrders(orders, new DefaultTerms(), TimeProvider.System)
            .ApplyAsync(services.GetRequiredService<Telemetry.Api.Plant.ApiPlant>().FindSite("demo")!, [insulation], new PredictiveLeadTimes(), CancellationToken.None);
        var box = (await orders.ListAsync(new WorkOrderQuery { AssetKey = "demo/gw-demo-01/box-03", Task = MaintenanceTask.PredictiveInsulationRepair }, CancellationToken.None))
            .Single(o => o.Status.IsOpen());
        Assert.Equal("crew-north", box.Crew);

        var north = await WorkOrderOf(host.As("crew.li"));
        Assert.Equal((box.Number.ToString(), null), (north["box-03"], north["eps-02"]));

        using var centralClient = await CrewClientAsync("crew.zhou", "crew-central");
        var central = await WorkOrderOf(centralClient);
        Assert.Equal((null, battery), (central["box-03"], central["eps-02"]));

        var all = await WorkOrderOf(host.As("operator.zhang"));
        Assert.Equal((box.Number.ToString(), battery), (all["box-03"], all["eps-02"]));

        static async Task<Dictionary<string, string?>> WorkOrderOf(HttpClient client)
        {
            using (client)
            {
                var list = await ApiHost.JsonAsync(await client.GetAsync("/api/forecasts?site=demo"));
                return list.EnumerateArray()
                    .Where(f => f.GetProperty("asset").GetString() is "box-03" or "eps-02")
                    .ToDictionary(f => f.GetProperty("asset").GetString()!, f => f.GetProperty("work_order").GetString());
            }
        }
    }

    [Fact]
    public async Task The_sentence_follows_the_request_language()
    {
        await SeedAsync();
        using var client = host.As("operator.zhang");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var list = await ApiHost.JsonAsync(await client.GetAsync("/api/forecasts?kind=lamp_failures"));

        var mast = list.EnumerateArray().Single(f => f.GetProperty("asset").GetString() == "mast-01");
        Assert.Contains("盏", mast.GetProperty("sentence").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, mast.GetProperty("high_count").GetInt32());
        Assert.Equal(JsonValueKindNull, mast.GetProperty("work_order").ValueKind);
    }

    [Fact]
    public async Task Bad_query_values_are_problems_naming_them_and_a_good_query_is_answered_afterwards()
    {
        using var client = host.As("operator.zhang");

        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/forecasts?kind=battery"), "kind");
        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/forecasts?site=" + Uri.EscapeDataString("demo'; DROP TABLE forecasts; --")), "site");
        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/forecasts?site=" + new string('x', 5000)), "site");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(null).GetAsync("/api/forecasts")).StatusCode);

        using var good = await client.GetAsync("/api/forecasts?site=demo");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    /// <summary>Forecasts as Rules' job stores them, and the predictive work order the battery's opens.</summary>
    private async Task<string> SeedAsync()
    {
        var services = host.Factory.Services;
        var battery = new DateForecast("eps-02", ForecastKind.BatteryEndOfLife, AsOf, AsOf.AddDays(100), AsOf.AddDays(40), AsOf.AddDays(160));
        var runtimes = new List<Observation> { new(AsOf.AddYears(-3), 117), new(AsOf.AddYears(-2), 108), new(AsOf.AddYears(-1), 99) };
        var store = services.GetRequiredService<IForecastStore>();
        await store.ReplaceAsync("demo", ForecastKind.BatteryEndOfLife,
            [new StoredForecast("demo", battery, new ForecastChart("min", 90, runtimes, [runtimes[0], new(battery.Expected, 90)]))], CancellationToken.None);
        await store.ReplaceAsync("demo", ForecastKind.LampFailures,
            [new StoredForecast("demo", new CountForecast("mast-01", ForecastKind.LampFailures, AsOf, TimeSpan.FromDays(30), 2.4, 1, 5), new ForecastChart("lamps", null, [new(AsOf, 20)], []))],
            CancellationToken.None);
        var orders = services.GetRequiredService<IWorkOrderStore>();
        var site = services.GetRequiredService<Telemetry.Api.Plant.ApiPlant>().FindSite("demo")!;
        await new PredictiveWorkOrders(orders, new DefaultTerms(), TimeProvider.System).ApplyAsync(site, [battery], new PredictiveLeadTimes(), CancellationToken.None);
        var order = (await orders.ListAsync(new WorkOrderQuery { AssetKey = "demo/gw-demo-01/eps-02", Task = MaintenanceTask.PredictiveBatteryReplacement }, CancellationToken.None))
            .Single(o => o.Status.IsOpen());
        return order.Number.ToString();
    }

    /// <summary>A client signed in as a crew member of <paramref name="crew"/>, a crew the host's own crew member is not of.</summary>
    private async Task<HttpClient> CrewClientAsync(string name, string crew)
    {
        var users = host.Factory.Services.GetRequiredService<UserStore>();
        await users.SetAsync(name, ApiHost.Password, [Role.Crew], [crew], CancellationToken.None);
        var client = host.As(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", (await users.IssueTokenAsync(name, "tests", null, CancellationToken.None)).Token);
        return client;
    }

    private sealed class DefaultTerms : IServiceLevelSource
    {
        public ServiceLevelTerms Current => ServiceLevelTerms.Default;
    }
}
