using Telemetry.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Rules.Alerts;
using Telemetry.Rules.Escalation;
using Telemetry.Rules.Health;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Escalation;

/// <summary>The escalation sweep on a real ticket store, with time moved by hand.</summary>
public sealed class EscalationSweepTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly SqliteDatabase _database = new(Path.Combine(RepositoryPaths.NewScratchDirectory("escalation"), "maintenance.db"));

    [Fact]
    public async Task A_grade1_ticket_not_acknowledged_in_10_minutes_is_escalated_once()
    {
        var tickets = Repository();
        var sweep = Sweep(tickets);
        var opened = await tickets.RecordAsync(Dark("mast-07"), CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await sweep.RunAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await sweep.RunAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await sweep.RunAsync(CancellationToken.None));

        var ticket = await tickets.FindAsync(opened.Ticket.Number, CancellationToken.None);
        var escalation = Assert.Single(ticket!.Escalations);
        Assert.Equal(DeadlineKind.Response, escalation.Deadline);
        Assert.Equal(Start + TimeSpan.FromMinutes(10), escalation.Due);

        // The supervisor hears of it once, however often the sweep runs.
        var outbox = new SqliteNotificationOutbox(_database);
        var due = await outbox.ListDueAsync("mqtt", _clock.GetUtcNow(), 100, CancellationToken.None);
        Assert.Single(due, n => n.Kind == NotificationKind.Escalated && n.Crew == "supervisor");
    }

    [Fact]
    public async Task A_ticket_acknowledged_in_time_is_not_escalated_for_its_response()
    {
        var tickets = Repository();
        var sweep = Sweep(tickets);
        var opened = await tickets.RecordAsync(Dark("mast-08"), CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(8));
        await tickets.ChangeAsync(opened.Ticket.Number, t => t.Acknowledge("crew-lead", _clock.GetUtcNow()), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(0, await sweep.RunAsync(CancellationToken.None));
        Assert.Empty((await tickets.FindAsync(opened.Ticket.Number, CancellationToken.None))!.Escalations);
    }

    [Fact]
    public async Task A_breach_that_fell_due_while_the_service_was_down_is_escalated_at_the_first_sweep_after_the_restart()
    {
        var opened = await Repository().RecordAsync(Dark("mast-09"), CancellationToken.None);

        // Nothing ran for three hours; a new repository and sweep stand for the restarted process.
        _clock.Advance(TimeSpan.FromHours(3));
        var tickets = Repository();
        Assert.Equal(2, await Sweep(tickets).RunAsync(CancellationToken.None));

        var ticket = await tickets.FindAsync(opened.Ticket.Number, CancellationToken.None);
        Assert.Equal([DeadlineKind.Response, DeadlineKind.Arrival], ticket!.Escalations.Select(e => e.Deadline).Order());
    }

    private SqliteTicketRepository Repository() => new(_database, new TicketOptions(), _clock);

    private EscalationSweep Sweep(SqliteTicketRepository tickets) =>
        new(tickets, new AlertSignal(), new RulesStatistics(_clock, new ConsumerProgress(_clock, TimeSpan.FromSeconds(30))), _clock, NullLogger<EscalationSweep>.Instance);

    private FaultDetected Dark(string mast) => new(
        new AssetRef("north", "gw-north-01", mast),
        FaultType.TotalDark,
        FaultGrade.Grade1,
        _clock.GetUtcNow(),
        $"{mast}: 12 of 12 lamps dark while commanded on",
        new Dictionary<string, double> { ["lamps_installed"] = 12, ["lamps_lit"] = 0 },
        "crew-masts",
        CrewZone.Inner);
}
