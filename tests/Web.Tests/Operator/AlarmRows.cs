using System.Text.Json;
using Microsoft.Playwright;

namespace Telemetry.Web.Tests.Operator;

/// <summary>A new row of the alarm list as the browser saw it appear: when (the browser's clock, Unix ms), its ticket, grade and device.</summary>
internal sealed record SeenRow(string Number, int Grade, string Device, long At);

/// <summary>
/// Watches the alarm list in the page: a mutation observer notes the moment each ticket's row first appears, so that
/// the time to the row is the browser's, not the test's polling interval.
/// </summary>
internal static class AlarmRows
{
    public static Task WatchAsync(IPage page) => page.EvaluateAsync("""
        () => {
          window.seenRows = window.seenRows || {};
          const note = at => document.querySelectorAll('[data-testid=alarm-row]').forEach(r => {
            const n = r.dataset.number;
            if (!(n in window.seenRows)) window.seenRows[n] = { number: n, grade: +r.dataset.grade, device: r.dataset.device || '', at };
          });
          note(0);
          new MutationObserver(() => note(Date.now())).observe(document.body, { childList: true, subtree: true, attributes: true });
        }
        """);

    public static async Task<IReadOnlyList<SeenRow>> SeenAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("() => JSON.stringify(Object.values(window.seenRows || {}))");
        return JsonSerializer.Deserialize<SeenRow[]>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
