using System.Text.Json;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Notifications;

public sealed class TicketNotificationJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);

    private static TicketNotificationPayload OpenedPayload()
    {
        var asset = new AssetRef("north", "gw-north-01", "cab-02", "c1");
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0007"), Detected(T0, asset: asset, fault: FaultType.TotalDark, zone: CrewZone.Second), T0, TicketNumber.Parse("YW2611-0003"), new TicketOptions());
        return Assert.Single(ticket.PendingNotifications).Payload;
    }

    [Fact]
    public void Opened_payload_is_snake_case_json_with_the_ticket_facts()
    {
        using var json = JsonDocument.Parse(OpenedPayload().ToJson());
        var root = json.RootElement;

        Assert.Equal("YW2611-0007/opened", root.GetProperty("id").GetString());
        Assert.Equal("opened", root.GetProperty("kind").GetString());
        Assert.Equal("YW2611-0007", root.GetProperty("ticket_number").GetString());
        Assert.Equal("north/gw-north-01/cab-02/c1", root.GetProperty("asset_key").GetString());
        Assert.Equal(("north", "cab-02"), (root.GetProperty("site").GetString(), root.GetProperty("device").GetString()));
        Assert.Equal("total_dark", root.GetProperty("fault").GetString());
        Assert.Equal(1, root.GetProperty("grade").GetInt32());
        Assert.Equal(("open", "crew-north", "second"), (root.GetProperty("status").GetString(), root.GetProperty("crew").GetString(), root.GetProperty("zone").GetString()));
        Assert.Equal("2026-11-22T19:00:00.000Z", root.GetProperty("opened_at").GetString());
        var deadlines = root.GetProperty("deadlines");
        Assert.Equal("2026-11-22T19:10:00.000Z", deadlines.GetProperty("respond_by").GetString());
        Assert.Equal("2026-11-22T22:00:00.000Z", deadlines.GetProperty("on_site_by").GetString());
        Assert.Equal("2026-11-23T19:00:00.000Z", deadlines.GetProperty("fix_by").GetString());
        Assert.Equal(1, root.GetProperty("occurrences").GetInt32());
        Assert.True(root.GetProperty("repeat_repair").GetBoolean());
        Assert.Equal("YW2611-0003", root.GetProperty("repeat_of").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("escalation").ValueKind);
    }

    [Fact]
    public void Document_is_byte_for_byte_what_crews_and_webhooks_already_receive()
    {
        // Stored outbox rows and the subscribers' parsers depend on this exact text: order, spelling, time format.
        const string Expected = """
            {"id":"YW2611-0007/opened","kind":"opened","ticket_number":"YW2611-0007","asset_key":"north/gw-north-01/cab-02/c1","site":"north","gateway":"gw-north-01","device":"cab-02","circuit":"c1","fault":"total_dark","grade":1,"summary":"total_dark: 7 of 12 lamps lit","status":"open","crew":"crew-north","zone":"second","opened_at":"2026-11-22T19:00:00.000Z","deadlines":{"respond_by":"2026-11-22T19:10:00.000Z","on_site_by":"2026-11-22T22:00:00.000Z","fix_by":"2026-11-23T19:00:00.000Z"},"occurrences":1,"repeat_repair":true,"repeat_of":"YW2611-0003","escalation":null}
            """;

        Assert.Equal(Expected, OpenedPayload().ToJson());
    }

    [Fact]
    public void Parse_reads_back_the_payload_the_document_was_written_from()
    {
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0008"), Detected(T0, fault: FaultType.ConfigurationRejected), T0, null, new TicketOptions());
        ticket.Escalate(DeadlineKind.Response, T0.AddHours(3));

        foreach (var payload in ticket.PendingNotifications.Select(n => n.Payload).Append(OpenedPayload()))
        {
            Assert.Equal(payload, TicketNotificationJson.Parse(payload.ToJson()));
        }
    }

    [Fact]
    public void Parse_refuses_a_null_document()
    {
        Assert.Throws<JsonException>(() => TicketNotificationJson.Parse("null"));
    }
}
