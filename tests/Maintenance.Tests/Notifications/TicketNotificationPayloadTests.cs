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
    public void Opened_payload_carries_the_ticket_facts()
    {
        var asset = new AssetRef("north", "gw-north-01", "cab-02", "c1");
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0007"), Detected(T0, asset: asset, fault: FaultType.TotalDark, zone: CrewZone.Second), T0, TicketNumber.Parse("YW2611-0003"), new TicketOptions());

        var payload = Assert.Single(ticket.PendingNotifications).Payload;

        Assert.Equal(("YW2611-0007/opened", "opened", "YW2611-0007"), (payload.Id, payload.Kind, payload.TicketNumber));
        Assert.Equal(("north/gw-north-01/cab-02/c1", "north", "gw-north-01", "cab-02", "c1"), (payload.AssetKey, payload.Site, payload.Gateway, payload.Device, payload.Circuit));
        Assert.Equal(("total_dark", 1, "total_dark: 7 of 12 lamps lit"), (payload.Fault, payload.Grade, payload.Summary));
        Assert.Equal(("open", "crew-north", "second"), (payload.Status, payload.Crew, payload.Zone));
        Assert.Equal(T0, payload.OpenedAt);
        Assert.Equal(new NotificationDeadlines(T0.AddMinutes(10), T0.AddHours(3), T0.AddDays(1)), payload.Deadlines);
        Assert.Equal((1, true, "YW2611-0003"), (payload.Occurrences, payload.RepeatRepair, payload.RepeatOf));
        Assert.Null(payload.Escalation);
    }

    [Fact]
    public void Payload_keeps_the_ticket_as_it_was_when_the_notification_was_raised()
    {
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0007"), Detected(T0, fault: FaultType.TotalDark), T0, null, new TicketOptions());

        ticket.Reassign("crew-town", CrewZone.Town, "operator.zhang", T0.AddMinutes(3));

        Assert.Equal(("open", "crew-north", "inner"), (ticket.PendingNotifications[0].Payload.Status, ticket.PendingNotifications[0].Payload.Crew, ticket.PendingNotifications[0].Payload.Zone));
        Assert.Equal(("crew-town", "town"), (ticket.PendingNotifications[^1].Payload.Crew, ticket.PendingNotifications[^1].Payload.Zone));
    }

    [Fact]
    public void Escalation_payload_names_the_breached_deadline()
    {
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0007"), Detected(T0, fault: FaultType.TotalDark), T0, null, new TicketOptions());

        ticket.Escalate(DeadlineKind.Response, T0.AddMinutes(11));

        var payload = ticket.PendingNotifications[^1].Payload;
        Assert.Equal(("escalated", "response", "YW2611-0007/escalated/response"), (payload.Kind, payload.Escalation, payload.Id));
        Assert.Equal(T0.AddMinutes(10), payload.Deadlines.RespondBy);
    }

    [Fact]
    public void Grade4_payload_has_no_arrival_or_fix_deadline()
    {
        var ticket = Ticket.Open(TicketNumber.Parse("YW2611-0008"), Detected(T0, fault: FaultType.ConfigurationRejected), T0, null, new TicketOptions());

        var payload = Assert.Single(ticket.PendingNotifications).Payload;

        Assert.Equal(T0.AddHours(2), payload.Deadlines.RespondBy);
        Assert.Null(payload.Deadlines.OnSiteBy);
        Assert.Null(payload.Deadlines.FixBy);
    }
}
