using System.Text.Json;
using Microsoft.Playwright;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Reports;

/// <summary>The reports page's stored months: listed for the chosen scope, each workbook downloaded as stored.</summary>
[Collection(WebCollection.Name)]
public sealed class StoredReportListTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task The_stored_months_are_listed_and_a_link_downloads_the_workbook()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;

        // The Api stores the months ended at its start; the page lists what is stored when it is drawn.
        await Eventually.TrueAsync(
            async () =>
            {
                var archive = await page.APIRequest.GetAsync("/api/reports/archive?kind=monthly&scope=unit");
                using var listed = JsonDocument.Parse(await archive.TextAsync());
                return archive.Status == 200 && listed.RootElement.GetArrayLength() > 0;
            },
            "the Api stores the service unit's last month",
            TimeSpan.FromMinutes(2));
        await page.GotoAsync("/reports");

        var stored = page.GetByTestId("stored-reports");
        await Assertions.Expect(stored).ToContainTextAsync("Stored monthly reports");
        var link = stored.GetByTestId("stored-xlsx").First;
        Assert.Matches(@"^/api/reports/archive/\d+\.xlsx$", await link.GetAttributeAsync("href"));

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Matches(@"^monthly-\d{4}-\d{2}-unit\.xlsx$", download.SuggestedFilename);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "the download is no workbook (a zip package)");

        var json = await page.APIRequest.GetAsync((await stored.GetByTestId("stored-json").First.GetAttributeAsync("href"))!);
        Assert.Equal(200, json.Status);

        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task The_list_speaks_chinese()
    {
        await using var session = await web.SignInAsync(web.Crew, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/reports");

        await Assertions.Expect(page.GetByTestId("stored-reports")).ToContainTextAsync("已存档月报");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }
}
