using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Web.Tests.Operator;

/// <summary>
/// Tickets of the operator's devices opened and taken through their life over the Api, as operators would: the steps
/// shared among a few desks of their own, each under the Api's per-user limit of actions a minute, and none of them
/// the rig's own client, which the other tests use.
/// </summary>
internal static class PlantTickets
{
    private static readonly ConcurrentDictionary<PlantRig, Lazy<Task<HttpClient[]>>> Desks = new();
    private static int _turn;

    private static async Task<HttpClient> DeskAsync(PlantRig rig)
    {
        var desks = await Desks.GetOrAdd(rig, r => new Lazy<Task<HttpClient[]>>(async () =>
            [await r.SignInAsync("desk.operator1", "operator"), await r.SignInAsync("desk.operator2", "operator"), await r.SignInAsync("desk.operator3", "operator")])).Value;
        return desks[(int)((uint)Interlocked.Increment(ref _turn) % desks.Length)];
    }

    /// <summary>Opens a ticket by hand on <paramref name="asset"/>; returns its number.</summary>
    public static async Task<string> OpenAsync(PlantRig rig, string asset, string fault, int grade, string? crew = null)
    {
        var body = crew is null
            ? JsonSerializer.Serialize(new { asset, fault, grade, description = "Reported by the city hotline" })
            : JsonSerializer.Serialize(new { asset, fault, grade, crew, description = "Reported by the city hotline" });
        using var opened = await (await DeskAsync(rig)).PostAsync(new Uri(rig.Api!.HealthUrl, "/api/tickets"), Json(body));
        var answer = await opened.Content.ReadAsStringAsync();
        Assert.True(opened.StatusCode == HttpStatusCode.Created, $"opening a ticket: {(int)opened.StatusCode} {answer}");
        using var ticket = JsonDocument.Parse(answer);
        return ticket.RootElement.GetProperty("number").GetString()!;
    }

    /// <summary>Acknowledges, arrives, resolves and closes the ticket, each step only if it is not taken yet.</summary>
    public static async Task CloseAsync(PlantRig rig, string number)
    {
        var status = (await rig.TicketAsync(number)).GetProperty("status").GetString();
        string[] steps = ["open", "acknowledged", "on_site", "resolved"];
        var bodies = new Dictionary<string, (string Action, string? Body)>
        {
            ["open"] = ("acknowledge", null),
            ["acknowledged"] = ("arrive", null),
            ["on_site"] = ("resolve", """{"cause":"lamp drivers failed","action":"drivers replaced","kind":"hardware"}"""),
            ["resolved"] = ("close", """{"note":"caller confirms the lamps are lit"}"""),
        };
        foreach (var step in steps.SkipWhile(s => s != status))
        {
            var (action, body) = bodies[step];
            using var done = await (await DeskAsync(rig)).PostAsync(new Uri(rig.Api!.HealthUrl, $"/api/tickets/{number}/{action}"), body is null ? null : Json(body));
            Assert.True(done.IsSuccessStatusCode, $"{action} {number}: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Closes every ticket not closed of <paramref name="asset"/>, so that a test starts from a quiet device.</summary>
    public static async Task CloseAllAsync(PlantRig rig, string asset)
    {
        foreach (var ticket in await rig.TicketsAsync($"open=true&asset={Uri.EscapeDataString(asset)}"))
        {
            await CloseAsync(rig, ticket.GetProperty("number").GetString()!);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
