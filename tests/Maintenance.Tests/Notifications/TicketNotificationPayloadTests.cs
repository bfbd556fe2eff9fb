using System.Text.Json;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Notifications;

public sealed class TicketNotificationPayloadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Opened_payload_is_snake_case_json_with_the_ticket_facts()
    {
        var asset = new AssetRef("north", "gw-north-01", "cab-02", "c1");
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0007"), Detected(T0, asset: asset, fault: FaultType.TotalDark, zone: CrewZone.Second), T0, TicketNumber.Parse("YW2611-0003"), new TicketOptions());

        using var json = JsonDocument.Parse(Assert.Single(ticket.PendingNotifications).Payload);
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
    public void Escalation_payload_names_the_breached_deadline()
    {
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0007"), Detected(T0, fault: FaultType.TotalDark), T0, null, new TicketOptions());

        ticket.Escalate(DeadlineKind.Response, T0.AddMinutes(11));

        var payload = TicketNotificationPayload.FromJson(ticket.PendingNotifications[^1].Payload);
        Assert.Equal(("escalated", "response", "YW2611-0007/escalated/response"), (payload.Kind, payload.Escalation, payload.Id));
        Assert.Equal(T0.AddMinutes(10), payload.Deadlines.RespondBy);
    }

    [Fact]
    public void Grade4_payload_has_no_arrival_or_fix_deadline()
    {
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0008"), Detected(T0, fault: FaultType.ConfigurationRejected), T0, null, new TicketOptions());

        var payload = TicketNotificationPayload.FromJson(Assert.Single(ticket.PendingNotifications).Payload);

        Assert.Equal(T0.AddHours(2), payload.Deadlines.RespondBy);
        Assert.Null(payload.Deadlines.OnSiteBy);
        Assert.Null(payload.Deadlines.FixBy);
    }
}
