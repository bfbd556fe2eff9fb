using Microsoft.Playwright;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Forecasting;
using Telemetry.Forecasting.Numerics;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Forecasts;

/// <summary>The forecasts page: each asset's chart with its 80 % interval drawn, the sentence, and the predictive work order.</summary>
[Collection(WebCollection.Name)]
public sealed class ForecastsPageTests(WebFixture web, ITestOutputHelper output)
{
    private static readonly DateTimeOffset AsOf = new(DateTimeOffset.UtcNow.Date, TimeSpan.Zero);
    private static readonly DateForecast Battery = new("eps-01", ForecastKind.BatteryEndOfLife, AsOf, AsOf.AddDays(100), AsOf.AddDays(40), AsOf.AddDays(160));
    private static readonly DateForecast Box = new("box-02", ForecastKind.InsulationTimeToLimit, AsOf, AsOf.AddDays(400), AsOf.AddDays(200), AsOf.AddDays(700));

    [Fact]
    public async Task The_forecasts_page_draws_each_interval_as_a_band_with_its_dates_in_both_languages_and_links_the_work_order()
    {
        var number = await SeedAsync();

        await using (var chinese = await web.SignInAsync(web.Operator, "zh-CN"))
        {
            var page = chinese.Page;
            await page.GotoAsync("/forecasts");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("预测性维护");
            var card = Card(page, "eps-01");
            await Assertions.Expect(card.GetByTestId("forecast-sentence")).ToContainTextAsync("eps-01 预计在");
            await Assertions.Expect(card.GetByTestId("forecast-band").Locator("title")).ToHaveTextAsync($"80 % 区间 {Day(Battery.Low)} 至 {Day(Battery.High)}");
            await WebFixture.ScreenshotAsync(page, "forecasts.zh-CN");
            await Accessibility.AssertNoSeriousViolationsAsync(page, output);
        }

        await using var session = await web.SignInAsync(web.Operator);
        var english = session.Page;
        await english.GotoAsync("/forecasts");
        await Assertions.Expect(english.Locator("h1")).ToHaveTextAsync("Predictive maintenance");
        var battery = Card(english, "eps-01");
        await Assertions.Expect(battery.GetByTestId("forecast-sentence")).ToHaveTextAsync(
            $"eps-01 will fail its yearly test around {Battery.Expected:yyyy-MM}, 80 % interval {Battery.Low:yyyy-MM} to {Battery.High:yyyy-MM}");
        var band = battery.GetByTestId("forecast-band");
        await Assertions.Expect(band.Locator("title")).ToHaveTextAsync($"80 % interval {Day(Battery.Low)} to {Day(Battery.High)}");
        await Assertions.Expect(band).ToHaveAttributeAsync("data-low", Day(Battery.Low));
        await Assertions.Expect(battery.GetByTestId("forecast-expected").Locator("title")).ToHaveTextAsync($"expected {Day(Battery.Expected)}");
        await Assertions.Expect(battery.GetByTestId("forecast-limit")).ToHaveCountAsync(1);
        await Assertions.Expect(battery.Locator("svg[role=img] > title")).ToContainTextAsync($"80 % interval {Day(Battery.Low)} to {Day(Battery.High)}");
        var box = Card(english, "box-02");
        await Assertions.Expect(box.GetByTestId("forecast-band").Locator("title")).ToHaveTextAsync($"80 % interval {Day(Box.Low)} to {Day(Box.High)}");
        await Assertions.Expect(box.GetByTestId("forecast-work-order")).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(english, "forecasts.en");
        await Accessibility.AssertNoSeriousViolationsAsync(english, output);

        // The link opens the predictive work order on the maintenance calendar, grade 3, with the forecast in the reader's words.
        await battery.GetByTestId("forecast-work-order").ClickAsync();
        var order = english.GetByTestId("work-order");
        await Assertions.Expect(order).ToHaveAttributeAsync("data-number", number);
        await Assertions.Expect(order.GetByTestId("work-order-grade")).ToHaveTextAsync("Grade 3");
        await Assertions.Expect(order.GetByTestId("work-order-forecast")).ToContainTextAsync("eps-01 will fail its yearly test around");
    }

    private static ILocator Card(IPage page, string asset) => page.Locator($"[data-testid=forecast][data-asset='{asset}']");

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Forecasts as Rules' job stores them in the rig's file, and the work order the battery's opens; returns its number.</summary>
    private async Task<string> SeedAsync()
    {
        var database = new SqliteDatabase(web.Rig.DatabasePath);
        var forecasts = new SqliteForecastStore(database);
        var runtimes = new List<Observation> { new(AsOf.AddYears(-3), 118), new(AsOf.AddYears(-2), 109), new(AsOf.AddYears(-1), 99) };
        await forecasts.ReplaceAsync(PlantRig.SiteId, ForecastKind.BatteryEndOfLife,
            [new StoredForecast(PlantRig.SiteId, Battery, new ForecastChart("min", 90, runtimes, [runtimes[0], new(Battery.Expected, 90)]))], CancellationToken.None);
        var readings = Enumerable.Range(0, 40).Select(i => new Observation(AsOf.AddDays(-30 * (40 - i)), 20 * Math.Exp(-i / 25.0))).ToList();
        await forecasts.ReplaceAsync(PlantRig.SiteId, ForecastKind.InsulationTimeToLimit,
            [new StoredForecast(PlantRig.SiteId, Box, new ForecastChart("MΩ", 0.5, readings, [readings[0], new(Box.Expected, 0.5)]))], CancellationToken.None);

        var site = SiteLoader.LoadFile(web.Rig.SiteFile, ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles")), new SiteLoadOptions { Environment = _ => null });
        var orders = new SqliteWorkOrderStore(database);
        await new PredictiveWorkOrders(orders, new DefaultTerms(), TimeProvider.System).ApplyAsync(site, [Battery, Box], new PredictiveLeadTimes(), CancellationToken.None);
        var opened = await orders.ListAsync(new WorkOrderQuery { Site = PlantRig.SiteId, Task = MaintenanceTask.PredictiveBatteryReplacement }, CancellationToken.None);
        return opened.Single(o => o.Status.IsOpen()).Number.ToString();
    }

    private sealed class DefaultTerms : IServiceLevelSource
    {
        public ServiceLevelTerms Current => ServiceLevelTerms.Default;
    }
}
