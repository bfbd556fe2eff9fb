using Telemetry.Api.Live;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tests.Live;

public sealed class LiveEventsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_ring_gives_what_a_client_missed_while_it_holds_it_and_null_once_it_does_not()
    {
        var first = LiveEvents.FirstStatusSeqAt(Start);
        var events = new LiveEvents(first, statusCapacity: 4);
        for (var i = 0; i < 6; i++)
        {
            events.Publish("gateway", "demo", "gw-demo-01", null, i % 2 == 0 ? "online" : "offline", null, Start);
        }

        Assert.Equal([first + 5, first + 6], events.StatusAfter(first + 4)!.Select(c => c.Seq));
        Assert.Empty(events.StatusAfter(first + 6)!);
        Assert.Null(events.StatusAfter(first + 1));
        Assert.Null(events.StatusAfter(first + 7));

        // A number of a process before a restart is no number of this one.
        Assert.Null(new LiveEvents(first).StatusAfter(first - 3));
    }

    [Fact]
    public void A_client_that_does_not_read_is_let_go_and_the_others_get_every_event()
    {
        var events = new LiveEvents(0, clientQueue: 2);
        var slow = events.Subscribe(out _);
        var reading = events.Subscribe(out var cursor);
        Assert.Equal((0L, 0L), cursor);

        var received = new List<LiveEvent>();
        for (var i = 1; i <= 5; i++)
        {
            events.Publish(Change(i));
            while (reading.TryRead(out var live))
            {
                received.Add(live);
            }
        }

        Assert.Equal([1L, 2, 3, 4, 5], received.Select(e => e.Ticket!.Seq));
        Assert.True(slow.Completion.IsCompleted || slow.Count == 2);
        Assert.Equal(1, events.Clients);
        Assert.Equal((5L, 0L), events.Cursor);
    }

    private static TicketChange Change(long seq) => new(
        seq, TicketNumber.Parse("YW2612-0001"), seq, TicketStatus.Open, FaultGrade.Grade2, "mast_outage", new AssetRef("demo", "gw-demo-01", "mast-01"), "crew-north", Start);
}
