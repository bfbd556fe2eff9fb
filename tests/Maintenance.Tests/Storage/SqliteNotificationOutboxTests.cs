using Microsoft.Extensions.Time.Testing;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Storage;

public sealed class SqliteNotificationOutboxTests : IDisposable
{
    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider time = TestClock.Create();
    private readonly SqliteTicketRepository repository;
    private readonly SqliteNotificationOutbox outbox;

    public SqliteNotificationOutboxTests()
    {
        repository = database.OpenRepository(time);
        outbox = database.OpenOutbox();
    }

    private static CancellationToken Cancel => CancellationToken.None;

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Opened_ticket_is_due_at_every_destination_until_delivered_there()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;

        var due = Assert.Single(await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel));
        Assert.Equal((number + "/opened", NotificationKind.Opened, "crew-north", number, 0, time.GetUtcNow()), (due.Id, due.Kind, due.Crew, due.TicketNumber, due.Attempts, due.CreatedAt));

        await outbox.MarkDeliveredAsync(due.Id, due.Crew, "mqtt", time.GetUtcNow(), Cancel);

        Assert.Empty(await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel));
        Assert.Single(await outbox.ListDueAsync("webhook-duty", time.GetUtcNow(), 10, Cancel));
    }

    [Fact]
    public async Task Stored_payload_is_the_json_of_the_payload_the_ticket_raised()
    {
        var ticket = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket;

        var due = Assert.Single(await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel));

        Assert.Equal(TicketNotificationPayload.For(ticket, due.Id, NotificationKind.Opened, null).ToJson(), due.Payload);
    }

    [Fact]
    public async Task Failed_delivery_is_due_again_at_its_retry_time_with_the_attempts_counted()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);
        var due = Assert.Single(await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel));

        await outbox.MarkFailedAsync(due.Id, due.Crew, "mqtt", "broker unreachable", time.GetUtcNow().AddSeconds(30), Cancel);

        Assert.Empty(await outbox.ListDueAsync("mqtt", time.GetUtcNow().AddSeconds(29), 10, Cancel));
        var retry = Assert.Single(await outbox.ListDueAsync("mqtt", time.GetUtcNow().AddSeconds(30), 10, Cancel));
        Assert.Equal(1, retry.Attempts);

        await outbox.MarkFailedAsync(due.Id, due.Crew, "mqtt", "broker unreachable", time.GetUtcNow().AddMinutes(2), Cancel);
        Assert.Equal(2, Assert.Single(await outbox.ListDueAsync("mqtt", time.GetUtcNow().AddMinutes(2), 10, Cancel)).Attempts);
        Assert.Equal(0, Assert.Single(await outbox.ListDueAsync("webhook-duty", time.GetUtcNow(), 10, Cancel)).Attempts);
    }

    [Fact]
    public async Task Failure_reported_after_the_delivery_does_not_make_it_due_again()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);
        var due = Assert.Single(await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel));

        await outbox.MarkDeliveredAsync(due.Id, due.Crew, "mqtt", time.GetUtcNow(), Cancel);
        await outbox.MarkFailedAsync(due.Id, due.Crew, "mqtt", "late timeout", time.GetUtcNow(), Cancel);

        Assert.Empty(await outbox.ListDueAsync("mqtt", time.GetUtcNow().AddHours(1), 10, Cancel));
    }

    [Fact]
    public async Task Escalation_goes_to_supervisor_and_crew_each_delivered_on_its_own()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(11));
        await repository.ChangeAsync(number, t => t.Escalate(DeadlineKind.Response, time.GetUtcNow()), Cancel);
        var escalation = (await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel)).Where(n => n.Kind == NotificationKind.Escalated).ToList();
        Assert.Equal(["crew-north", "supervisor"], escalation.Select(n => n.Crew).Order());

        await outbox.MarkDeliveredAsync(number + "/escalated/response", "supervisor", "mqtt", time.GetUtcNow(), Cancel);

        var left = (await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel)).Where(n => n.Kind == NotificationKind.Escalated);
        Assert.Equal(["crew-north"], left.Select(n => n.Crew));
    }

    [Fact]
    public async Task Due_notifications_come_oldest_first_up_to_the_maximum()
    {
        for (var mast = 1; mast <= 5; mast++)
        {
            await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(mast)), Cancel);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var due = await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 3, Cancel);

        Assert.Equal(["YW2611-0001/opened", "YW2611-0002/opened", "YW2611-0003/opened"], due.Select(n => n.Id));
    }

    [Fact]
    public async Task Delivery_of_an_unknown_notification_is_refused()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => outbox.MarkDeliveredAsync("YW2611-0001/opened", "crew-south", "mqtt", time.GetUtcNow(), Cancel));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => outbox.MarkFailedAsync("YW2611-0009/opened", "crew-north", "mqtt", "x", time.GetUtcNow(), Cancel));
    }

    [Theory]
    [InlineData("")]
    [InlineData("web hook")]
    [InlineData("mqtt/alerts")]
    public async Task Destination_that_is_not_a_name_is_refused(string destination)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.ListDueAsync(destination, time.GetUtcNow(), 10, Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.MarkDeliveredAsync("YW2611-0001/opened", "crew-north", destination, time.GetUtcNow(), Cancel));
    }

    [Fact]
    public async Task Outbox_on_a_new_database_has_nothing_due()
    {
        Assert.Empty(await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 10, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => outbox.ListDueAsync("mqtt", time.GetUtcNow(), 0, Cancel));
    }
}
