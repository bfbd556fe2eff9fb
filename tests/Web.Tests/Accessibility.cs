using Xunit.Abstractions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Telemetry.Web.Tests;

/// <summary>The axe check of a page: no serious or critical violation.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var violation in result.Violations)
        {
            output.WriteLine($"axe {violation.Impact} {violation.Id}: {violation.Help} ({string.Join(", ", violation.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})");
        }

        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(5).Select(n => n.Html))}")));
    }
}
