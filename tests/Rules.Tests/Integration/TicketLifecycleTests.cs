using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// A ticket that the simulated plant's fault opened is worked through the running Api by a crew member and an
/// operator, with every service a process: simulator, gateway, Mosquitto, Ingest and InfluxDB, Rules, Api.
/// </summary>
public sealed class TicketLifecycleTests(RulesFixture fixture) : IClassFixture<RulesFixture>
{
    private const string Asset = "rig/gw-rig/mast-01";

    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);

    private PlantRig Rig => fixture.Rig;

    [Fact]
    public async Task A_dark_mast_is_acknowledged_in_time_worked_and_closed_over_http_and_its_return_within_7_days_is_a_repeat_repair()
    {
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 12 });
        var opened = await Eventually.ValueAsync(() => OpenTicketsAsync(), t => t.Count > 0, $"a total_dark ticket on {Asset}\n{Rig.Logs()}", Pipeline);
        var number = opened[0].Number();
        Assert.Equal(1, opened[0].Grade());

        // The crew's phone reads the ticket, then acknowledges over that version, well inside grade 1's 10 minutes.
        using var read = await Rig.CrewClient.GetAsync(Url($"/api/tickets/{number}"));
        var seen = read.Headers.ETag!.Tag;
        using var acknowledged = await PostAsync(Rig.CrewClient, number, "acknowledge", null, ifMatch: seen);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var response = (await JsonAsync(acknowledged)).GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "response");
        Assert.True(response.GetProperty("done_at").GetDateTimeOffset() <= response.GetProperty("due").GetDateTimeOffset());
        Assert.False(response.GetProperty("breached").GetBoolean());

        // An action over the version read before the acknowledgement is refused: someone acted in between.
        using var stale = await PostAsync(Rig.CrewClient, number, "arrive", null, ifMatch: seen);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Rig.CrewClient, number, "arrive", null, ifMatch: stale.Headers.ETag!.Tag)).StatusCode);

        // The phone on a bad link sends the resolve twice with one key: it acts once.
        const string Resolution = """{"cause":"cable cut at the mast base","action":"cable jointed","parts_used":["joint kit"],"kind":"hardware"}""";
        var key = Guid.NewGuid().ToString();
        using var resolved = await PostAsync(Rig.CrewClient, number, "resolve", Resolution, key: key);
        using var retried = await PostAsync(Rig.CrewClient, number, "resolve", Resolution, key: key);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(await resolved.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());

        // Relamped: the condition clears on the ticket; the operator verifies with the caller and closes it.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.ClearFaultAsync("mast-01", "lamps_dark");
        await Eventually.TrueAsync(async () => !(await Rig.TicketAsync(number)).ConditionActive(), $"the dark mast clears on {number}\n{Rig.Logs()}", Pipeline);
        using var closed = await PostAsync(Rig.ApiClient, number, "close", """{"note":"caller confirms the mast is lit"}""");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        var ticket = await Rig.TicketAsync(number);
        Assert.Equal("closed", ticket.GetProperty("status").GetString());
        var steps = ticket.GetProperty("history").EnumerateArray()
            .Where(s => s.TryGetProperty("client", out var c) && c.ValueKind == JsonValueKind.String)
            .Select(s => $"{s.GetProperty("what").GetString()} {s.GetProperty("actor").GetString()} {s.GetProperty("client").GetString()}");
        Assert.Equal(["acknowledged rig.crew test rig", "arrived_on_site rig.crew test rig", "resolved rig.crew test rig", "closed rig.operator test rig"], steps);

        // Acknowledged in time (EscalationTests shows the deadline passing without an escalation).
        Assert.Empty((await Rig.TicketAsync(number)).GetProperty("escalations").EnumerateArray());

        // The mast goes dark again within 7 days of the closing: a new ticket, flagged as a repeat of the closed one.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 12 });
        var repeat = (await Eventually.ValueAsync(() => OpenTicketsAsync(), t => t.Count > 0, $"a second total_dark ticket on {Asset}\n{Rig.Logs()}", Pipeline))[0];
        Assert.NotEqual(number, repeat.Number());
        Assert.True(repeat.GetProperty("repeat_repair").GetBoolean());
        Assert.Equal(number, repeat.GetProperty("repeat_of").GetString());
    }

    [Fact]
    public async Task An_action_body_past_16_KiB_is_refused_by_the_running_api_which_goes_on_serving()
    {
        using var opened = await Rig.ApiClient.PostAsync(Url("/api/tickets"), Json(
            """{"site":"rig","location":"by the school gate","description":"lamp out","fault":"single_lamps_dark","grade":3}"""));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var number = (await JsonAsync(opened)).Number();

        using var huge = await PostAsync(Rig.ApiClient, number, "comment", JsonSerializer.Serialize(new { text = new string('x', 100 * 1024) }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);
        using var comment = await PostAsync(Rig.ApiClient, number, "comment", """{"text":"<b>caller rang again</b>"}""");
        Assert.Equal(HttpStatusCode.OK, comment.StatusCode);
        Assert.Equal("<b>caller rang again</b>", (await Rig.TicketAsync(number)).GetProperty("history").EnumerateArray().Last().GetProperty("detail").GetString());
    }

    private async Task<IReadOnlyList<JsonElement>> OpenTicketsAsync() =>
        await Rig.TicketsAsync($"asset={Uri.EscapeDataString(Asset)}&fault=total_dark&open=true");

    private Uri Url(string path) => new(Rig.Api!.HealthUrl, path);

    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string number, string action, string? body, string? ifMatch = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url($"/api/tickets/{number}/{action}"));
        if (body is not null)
        {
            request.Content = Json(body);

            // A large body waits for 100 Continue, so that the refusal reaches the client before the body is sent: sent
            // at once, the refusal races the upload and the reset of the connection the server closes can swallow it.
            request.Headers.ExpectContinue = body.Length > 16 * 1024;
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
