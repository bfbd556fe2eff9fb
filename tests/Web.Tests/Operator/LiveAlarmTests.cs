using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Telemetry.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Telemetry.Web.Tests.Operator;

/// <summary>
/// Faults made in the simulated plant reach the operator's screens without a reload: the alarm list gains the ticket's
/// row, the site plan colours the device, the overview counts it; how long that takes is measured and written down.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class LiveAlarmTests(WebFixture web, ITestOutputHelper output)
{
    private const string Mast = "rig/gw-rig/mast-01";
    private const int Samples = 20;
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_dark_mast_shows_in_the_alarm_list_on_the_plan_and_in_the_overview_without_reload_and_leaves_when_closed()
    {
        await PlantTickets.CloseAllAsync(web.Rig, Mast);
        await using var session = await web.SignInAsync(web.Operator, "en", new ViewportSize { Width = 1920, Height = 1080 });
        var alarms = session.Page;
        await alarms.GotoAsync("/alarms");
        await Expect(alarms.GetByTestId("alarm-count")).ToBeVisibleAsync();
        var plan = await session.Context.NewPageAsync();
        await plan.GotoAsync("/plant/rig");
        var mast = plan.Locator("[data-testid=plan-device][data-device=mast-01]");
        await Expect(mast).ToBeVisibleAsync();
        var overview = await session.Context.NewPageAsync();
        await overview.GotoAsync("/plant");
        var gradeOne = overview.Locator("[data-testid=site-card][data-site=rig] [data-testid=open-grade-1] .grade-number");
        await Expect(gradeOne).ToBeVisibleAsync();
        foreach (var page in new[] { alarms, plan, overview })
        {
            await page.EvaluateAsync("() => window.sameDocument = true");
        }

        await AlarmRows.WatchAsync(alarms);
        var known = (await AlarmRows.SeenAsync(alarms)).Select(r => r.Number).ToHashSet(StringComparer.Ordinal);
        var fromInjection = new List<double>();
        var fromOpening = new List<double>();
        for (var sample = 0; sample < Samples; sample++)
        {
            // All 12 lamps dark with the mast commanded on: total dark, grade 1.
            await web.Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
            var injected = DateTimeOffset.UtcNow;
            await web.Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 12 });
            var row = (await Eventually.ValueAsync(
                async () => (await AlarmRows.SeenAsync(alarms)).FirstOrDefault(r => r.Device == "mast-01" && !known.Contains(r.Number)),
                r => r is not null,
                $"a new row of mast-01 in the alarm list (sample {sample + 1})",
                Pipeline,
                web.Rig.Logs))!;
            known.Add(row.Number);
            var openedAt = (await web.Rig.TicketAsync(row.Number)).GetProperty("opened_at").GetDateTimeOffset();
            fromInjection.Add(row.At - injected.ToUnixTimeMilliseconds());
            fromOpening.Add(row.At - openedAt.ToUnixTimeMilliseconds());
            output.WriteLine($"sample {sample + 1}: {row.Number} grade {row.Grade}, row {row.At - injected.ToUnixTimeMilliseconds()} ms after the injection, {row.At - openedAt.ToUnixTimeMilliseconds()} ms after opened_at");

            // What the operator sees: the ticket at grade 1, its fault in words, a link to it; the mast in grade 1's colour; one more grade-1 ticket on the card.
            var shown = alarms.Locator($"[data-testid=alarm-row][data-number='{row.Number}']");
            await Expect(shown).ToHaveAttributeAsync("data-grade", "1", new() { Timeout = 30_000 });
            // All lamps dark and no current: total dark, or cable theft when the feeder reads open.
            await Expect(shown.Locator("td").Nth(2)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Total dark|Cable theft / open feeder)$"));
            await Expect(shown.GetByRole(AriaRole.Link, new() { Name = row.Number })).ToHaveAttributeAsync("href", $"/tickets/{row.Number}");
            await Expect(alarms.GetByTestId("alarm-row").First).ToHaveAttributeAsync("data-grade", "1");
            await Expect(mast).ToHaveAttributeAsync("data-state", "fault");
            await Expect(mast).ToHaveAttributeAsync("data-grade", "1");
            await Expect(mast).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Grade 1"));
            await GradeOneCountedAsync(gradeOne);
            if (sample == 0)
            {
                await WebFixture.ScreenshotAsync(alarms, "alarms.en");
                await WebFixture.ScreenshotAsync(plan, "plan-fault.en");
                await WebFixture.ScreenshotAsync(overview, "overview-fault.en");
            }

            // Relamped, verified and closed: the row leaves the list and the mast its fault colour, still without reload.
            await web.Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
            await web.Rig.ClearFaultAsync("mast-01", "lamps_dark");
            await Eventually.TrueAsync(
                async () => !(await web.Rig.TicketAsync(row.Number)).GetProperty("condition_active").GetBoolean(),
                $"the dark mast clears on {row.Number}",
                Pipeline,
                web.Rig.Logs);
            await PlantTickets.CloseAsync(web.Rig, row.Number);
            await Expect(shown).ToHaveCountAsync(0);
            await Expect(mast).Not.ToHaveAttributeAsync("data-state", "fault");
            await GradeOneCountedAsync(gradeOne);
        }

        foreach (var page in new[] { alarms, plan, overview })
        {
            Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), $"{page.Url} was reloaded");
        }

        Report(fromInjection, fromOpening);
    }

    /// <summary>The card counts the site's open grade-1 tickets as the Api lists them.</summary>
    private async Task GradeOneCountedAsync(ILocator gradeOne) =>
        await Eventually.TrueAsync(
            async () => await gradeOne.InnerTextAsync() == (await web.Rig.TicketsAsync("open=true&grade=1&site=rig")).Count.ToString(CultureInfo.InvariantCulture),
            "the overview counts the open grade-1 tickets");

    private void Report(List<double> fromInjection, List<double> fromOpening)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Alarm row latency in the browser, {fromInjection.Count} samples (lamps_dark on mast-01, grade 1), ms")
            .AppendLine(CultureInfo.InvariantCulture, $"from the fault injected in the simulator: p50 {Percentile(fromInjection, 50):0} p95 {Percentile(fromInjection, 95):0} max {fromInjection.Max():0}  [{string.Join(", ", fromInjection.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}]")
            .AppendLine(CultureInfo.InvariantCulture, $"from the ticket's opened_at:             p50 {Percentile(fromOpening, 50):0} p95 {Percentile(fromOpening, 95):0} max {fromOpening.Max():0}  [{string.Join(", ", fromOpening.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}]")
            .ToString();
        output.WriteLine(text);
        var file = Path.Combine(RepositoryPaths.Root, "artifacts", "web", "alarm-latency.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    /// <summary>Nearest rank: the smallest sample with at least <paramref name="percent"/> % of the samples at or below it.</summary>
    private static double Percentile(List<double> samples, int percent)
    {
        var sorted = samples.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
