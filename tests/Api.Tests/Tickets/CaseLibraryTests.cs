using System.Net;
using System.Net.Http.Json;
using Telemetry.Api.Tests.Access;

namespace Telemetry.Api.Tests.Tickets;

/// <summary>The case library over HTTP: a repair made through the Api is found by its words and shown on a new ticket of the same fault.</summary>
public sealed class CaseLibraryTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_repair_is_found_by_its_Chinese_words_and_is_a_similar_case_of_the_next_ticket_of_its_fault_and_bad_queries_are_400()
    {
        using var crew = host.As("crew.li");
        var repaired = await host.FreshTicketAsync("crew-north", Maintenance.Tickets.TicketStatus.OnSite);
        using (var resolved = await crew.PostAsJsonAsync($"/api/tickets/{repaired}/resolve", new { cause = "灯杆检修门被撬，电缆被盗", action = "重新敷设电缆并加装防盗锁", parts_used = new[] { "YJV 4x16 电缆 40 m" }, kind = "hardware" }))
        {
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        var found = await ApiHost.JsonAsync(await crew.GetAsync("/api/cases?q=" + Uri.EscapeDataString("电缆被盗")));
        var hit = Assert.Single(found.GetProperty("cases").EnumerateArray(), c => c.GetProperty("number").GetString() == repaired);
        Assert.Equal("重新敷设电缆并加装防盗锁", hit.GetProperty("action").GetString());
        Assert.Equal(["YJV 4x16 电缆 40 m"], hit.GetProperty("parts").EnumerateArray().Select(p => p.GetString()));

        var next = await host.FreshTicketAsync("crew-north");
        var similar = await ApiHost.JsonAsync(await crew.GetAsync($"/api/tickets/{next}/similar-cases"));
        Assert.Contains(similar.GetProperty("cases").EnumerateArray(), c => c.GetProperty("number").GetString() == repaired);
        Assert.DoesNotContain(similar.GetProperty("cases").EnumerateArray(), c => c.GetProperty("number").GetString() == next);

        foreach (var bad in new[] { "/api/cases?fault=alien_abduction", "/api/cases?limit=0", "/api/cases?q=" + new string('x', 201), "/api/tickets/not-a-ticket/similar-cases" })
        {
            using var refused = await crew.GetAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var missing = await crew.GetAsync("/api/tickets/YW2001-9999/similar-cases");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // After the refused queries, a valid one is answered as before.
        var again = await ApiHost.JsonAsync(await crew.GetAsync("/api/cases?fault=mast_outage&limit=200&q=" + Uri.EscapeDataString("防盗锁")));
        Assert.Contains(again.GetProperty("cases").EnumerateArray(), c => c.GetProperty("number").GetString() == repaired);
    }
}
