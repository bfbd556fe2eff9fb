using Microsoft.Playwright;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;
using Telemetry.Web.Tests.Tickets;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Assets;

/// <summary>
/// The asset register's pages: the list with its warranty filter, one asset's record, and the warranty badge on the
/// ticket page. The rig's mast-01 is under warranty for 30 more days, eps-01's warranty ended three years ago, box-01 is
/// under warranty for two more years, the rest have no dates.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AssetRegisterPageTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_filters_the_register_by_warranty_and_opens_an_assets_record()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync("/assets");

        var rows = page.GetByTestId("asset-row");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Asset register");
        await Assertions.Expect(rows).ToHaveCountAsync(WebFixture.Devices.Count);
        await Assertions.Expect(page.Locator("[data-testid=asset-row][data-device=eps-01] [data-testid=warranty-badge]")).ToHaveAttributeAsync("data-warranty", "expired");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        await page.GetByTestId("filter-expiring").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-device", "mast-01");
        await Assertions.Expect(rows.First.GetByTestId("warranty-badge")).ToContainTextAsync("Warranty ends within 90 days");

        await rows.First.GetByRole(AriaRole.Link, new() { Name = "mast-01" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("asset-page")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("asset-model")).ToHaveTextAsync("jg-hmc24");
        await Assertions.Expect(page.GetByTestId("asset-facts")).ToContainTextAsync("JG24-RIG-001");
        await Assertions.Expect(page.GetByTestId("asset-tickets")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("asset-work-orders")).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "asset-record.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task A_work_order_the_gateways_test_completed_reads_so_on_the_units_record_in_both_languages()
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(web.Rig.DatabasePath));
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById(web.Rig.Options.TimeZone);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, shanghai).DateTime);
        var planned = new PlannedWorkOrder(new AssetRef(PlantRig.SiteId, "gw-rig", "eps-01"), DeviceFamily.EmergencyBattery, MaintenanceTask.EmergencyOneHourTest,
            $"web-{Guid.NewGuid():N}", today, now.AddHours(12), "crew-central", CrewZone.Inner);
        var number = (await store.AddAsync([planned], now, CancellationToken.None)).Single().Number;
        await store.ChangeAsync(number, o => o.CompleteByGateway(new GatewayTest("gw-rig", BatteryTestNames.OneHour, "passed", BatteryTestNames.Schedule, now, 3600, 3600)), CancellationToken.None);

        foreach (var (language, text) in new[] { ("en", "done by gateway gw-rig (automatic test) · Passed"), ("zh-CN", "由网关 gw-rig 自动试验完成 · 合格") })
        {
            await using var session = await web.SignInAsync(web.Operator, language);
            await session.Page.GotoAsync($"/assets/{PlantRig.SiteId}/eps-01");
            await Assertions.Expect(session.Page.Locator($"[data-testid=asset-work-order][data-number='{number}'] [data-testid=asset-work-order-by-gateway]")).ToHaveTextAsync(text);
        }

        // The maintenance calendar's work order says so too, with the test, its outcome and what started it.
        await using var calendar = await web.SignInAsync(web.Operator);
        await calendar.Page.GotoAsync("/maintenance");
        await calendar.Page.Locator($"[data-testid=calendar-order][data-number='{number}']").ClickAsync();
        var order = calendar.Page.GetByTestId("work-order");
        await Assertions.Expect(order.GetByTestId("work-order-by-gateway")).ToContainTextAsync("by gateway gw-rig, by its automatic emergency test");
        await Assertions.Expect(order.GetByTestId("work-order-gateway-test")).ToHaveTextAsync("One-hour test: passed, started by the gateway's schedule");
        await Assertions.Expect(order.GetByTestId("work-order-reading")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Runtime.*: 60$"));
    }

    [Fact]
    public async Task A_ticket_shows_the_warranty_of_its_asset_and_leads_to_its_record_on_a_phone()
    {
        var number = await TicketRig.OpenAsync(web, "eps-01", "failed_function_test", crew: "crew-central");
        await using var session = await web.SignInAsync(web.Operator, "zh-CN", TicketRig.Phone);
        var page = session.Page;
        await page.GotoAsync($"/tickets/{number}");

        var badge = page.GetByTestId("ticket-warranty").GetByTestId("warranty-badge");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-warranty", "expired", new() { Timeout = 30_000 });
        await Assertions.Expect(badge).ToContainTextAsync("已过质保");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        await page.GetByTestId("ticket-asset-register").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("资产台账");
        await Assertions.Expect(page.GetByTestId("asset-commissioned")).ToHaveTextAsync(WebFixture.Devices.Single(d => d.Id == "eps-01").Commissioned!);
        await Assertions.Expect(page.Locator($"[data-testid=asset-ticket] a[href='/tickets/{number}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("asset-tests")).ToContainTextAsync("电池测试记录");
        await WebFixture.ScreenshotAsync(page, "asset-record.zh-CN");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task A_crew_member_sees_its_own_crews_assets_only()
    {
        await using var session = await web.SignInAsync(web.Crew, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/assets");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("资产台账");
        await Assertions.Expect(page.GetByTestId("asset-row")).ToHaveCountAsync(WebFixture.Devices.Count(d => d.Crew == "crew-masts"));
        await Assertions.Expect(page.Locator("[data-testid=asset-row][data-device=mast-02] [data-testid=warranty-badge]")).ToHaveTextAsync("质保未知");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        await page.GotoAsync("/assets/rig/eps-01");
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("asset-page")).ToHaveCountAsync(0);
        await page.GotoAsync("/devices/rig/mast-01");
        await Assertions.Expect(page.GetByTestId("device-warranty").GetByTestId("warranty-badge")).ToHaveAttributeAsync("data-warranty", "expiring");
    }
}
