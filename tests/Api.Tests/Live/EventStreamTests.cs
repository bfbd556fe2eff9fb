using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Live;
using Telemetry.Api.Tests.Access;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Live;

/// <summary><c>/api/events</c> through the running Api, with a real broker and the ticket store's change feed.</summary>
public sealed class EventStreamTests(LiveRig rig) : IClassFixture<LiveRig>
{
    [Fact]
    public async Task A_client_that_reconnects_with_its_last_event_id_gets_exactly_the_changes_it_missed()
    {
        await CaughtUpAsync();
        using var client = rig.Api.As("operator.zhang");
        string lastId;
        using (var first = await ServerEvents.OpenAsync(client, null))
        {
            Assert.Equal("reset", (await first.NextAsync()).Type);
            await rig.StateAsync("online");
            lastId = (await first.NextAsync(e => e.Type == "status")).Id;
        }

        // Away: a ticket opens (through the store, as Rules opens one) and the gateway goes offline.
        var north = await OpenAsync("mast-03", "crew-north");
        var east = await OpenAsync("mast-04", "crew-east");
        await rig.StateAsync("offline");
        await Eventually.TrueAsync(
            async () => (await LiveStatusTests.JsonAsync(client, "/api/sites/demo")).GetProperty("gateways")[0].GetProperty("state").GetString() == "offline",
            "the gateway offline in the Api");
        await CaughtUpAsync();

        using var second = await ServerEvents.OpenAsync(client, lastId);
        var missed = new[] { await second.NextAsync(), await second.NextAsync(), await second.NextAsync() };

        Assert.Equal(["ticket", "ticket", "status"], missed.Select(e => e.Type));
        Assert.Equal([north, east], missed.Take(2).Select(e => e.Data.GetProperty("number").GetString()));
        Assert.Equal(("gateway", "offline"), (missed[2].Data.GetProperty("kind").GetString(), missed[2].Data.GetProperty("state").GetString()));
        var (ticketSeq, statusSeq) = EventStream.ParseCursor(lastId)!.Value;
        Assert.Equal($"{missed[1].Data.GetProperty("seq").GetInt64()}-{statusSeq + 1}", missed[2].Id);
        Assert.True(missed[0].Data.GetProperty("seq").GetInt64() > ticketSeq);

        // A crew member resuming from the same point gets its own crew's ticket only.
        using var crew = rig.Api.As("crew.li");
        using var crews = await ServerEvents.OpenAsync(crew, lastId);
        var crewMissed = new[] { await crews.NextAsync(), await crews.NextAsync() };
        Assert.Equal(["ticket", "status"], crewMissed.Select(e => e.Type));
        Assert.Equal(north, crewMissed[0].Data.GetProperty("number").GetString());
    }

    [Fact]
    public async Task A_last_event_id_the_stream_no_longer_holds_gets_a_reset_with_a_snapshot()
    {
        using var client = rig.Api.As("engineer.wang");

        using var events = await ServerEvents.OpenAsync(client, "0-999999");
        var reset = await events.NextAsync();

        Assert.Equal("reset", reset.Type);
        Assert.Contains(reset.Data.GetProperty("sites").EnumerateArray(), s => s.GetProperty("id").GetString() == "demo");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12")]
    [InlineData("-1-2")]
    [InlineData("1-2-3")]
    [InlineData("99999999999999999999-1")]
    public async Task A_malformed_last_event_id_is_a_problem_naming_it_and_a_good_request_is_served_after_it(string id)
    {
        using var client = rig.Api.As("operator.zhang");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", id);

        using var refused = await client.SendAsync(request);

        await ApiHost.AssertNamesAsync(refused, "Last-Event-ID");
        using var served = await ServerEvents.OpenAsync(client, null);
        Assert.Equal("reset", (await served.NextAsync()).Type);
    }

    /// <summary>Waits until the Api has followed every ticket change stored so far, so the stream's cursor is where the store is.</summary>
    private async Task CaughtUpAsync()
    {
        var feed = rig.Api.Factory.Services.GetRequiredService<ITicketChangeFeed>();
        var events = rig.Api.Factory.Services.GetRequiredService<LiveEvents>();
        var (newest, _) = await feed.BoundsAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(events.Cursor.Ticket >= newest), "the Api followed the ticket changes");
    }

    private async Task<string> OpenAsync(string device, string crew)
    {
        var tickets = rig.Api.Factory.Services.GetRequiredService<ITicketRepository>();
        var detected = new FaultDetected(new AssetRef("demo", "gw-demo-01", device), FaultType.MastOutage, FaultGrade.Grade2, DateTimeOffset.UtcNow,
            "7 of 12 lamps dark", new Dictionary<string, double> { ["lamps_lit"] = 5 }, crew, CrewZone.Inner);
        return (await tickets.RecordAsync(detected, CancellationToken.None)).Ticket.Number.ToString();
    }
}

/// <summary>A client of a server-sent-events stream: one event at a time, comments and the retry hint skipped.</summary>
internal sealed class ServerEvents : IDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    // Only against a hang: a test waits for events, never for a time.
    private readonly CancellationTokenSource guard = new(TimeSpan.FromSeconds(60));

    private ServerEvents(HttpResponseMessage response, Stream stream)
    {
        this.response = response;
        reader = new StreamReader(stream);
    }

    public static async Task<ServerEvents> OpenAsync(HttpClient client, string? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new ServerEvents(response, await response.Content.ReadAsStreamAsync());
    }

    public async Task<ServerEvent> NextAsync(Func<ServerEvent, bool>? wanted = null)
    {
        while (true)
        {
            string? id = null, type = null, data = null;
            while (await reader.ReadLineAsync(guard.Token) is { } line && line.Length > 0)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data = value; break;
                }
            }

            if (data is not null && (wanted is null || wanted(new ServerEvent(id!, type!, JsonDocument.Parse(data).RootElement.Clone()))))
            {
                return new ServerEvent(id!, type!, JsonDocument.Parse(data).RootElement.Clone());
            }
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
        guard.Dispose();
    }
}

internal sealed record ServerEvent(string Id, string Type, JsonElement Data);
