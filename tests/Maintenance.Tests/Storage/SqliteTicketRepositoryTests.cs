using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Storage;

public sealed class SqliteTicketRepositoryTests : IDisposable
{
    private static readonly Resolution Repair = new("lamp drivers burnt out", "replaced drivers", ["driver 150W"], RepairKind.Hardware);

    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider time = TestClock.Create();
    private readonly SqliteTicketRepository repository;

    public SqliteTicketRepositoryTests() => repository = database.OpenRepository(time);

    private static CancellationToken Cancel => CancellationToken.None;

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task First_detection_opens_a_ticket_numbered_in_the_month_it_opened()
    {
        var recorded = await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);

        Assert.True(recorded.Opened);
        Assert.False(recorded.RepeatRepair);
        var ticket = recorded.Ticket;
        Assert.Equal("YW2611-0001", ticket.Number.ToString());
        Assert.Equal((TicketStatus.Open, FaultGrade.Grade2, "crew-north"), (ticket.Status, ticket.Grade, ticket.Crew));
        Assert.Equal(TicketOrigin.Rule, ticket.Origin);
        Assert.Equal(7, ticket.Evidence["lamps_lit"]);
        Assert.Equal(1, ticket.Version);
        Assert.Empty(ticket.PendingNotifications);
        Assert.Equivalent(ticket.State, (await repository.FindAsync(ticket.Number, Cancel))!.State, strict: true);
    }

    [Fact]
    public async Task A_ticket_stored_when_fault_types_were_an_enumeration_reads_as_the_same_fault_type()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.ManualOverrideLeftOn), Cancel)).Ticket.Number;
        await using (var connection = await database.Database.OpenAsync(Cancel))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tickets SET document = replace(document, '\"manual_override_left_on\"', '\"ManualOverrideLeftOn\"')";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
        }

        var ticket = await database.OpenRepository(time).FindAsync(number, Cancel);

        Assert.Same(FaultType.ManualOverrideLeftOn, ticket!.Fault);
    }

    [Fact]
    public async Task The_follow_ups_a_ticket_owes_are_listed_by_deadline_until_done_and_survive_a_new_store()
    {
        var mast = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        var box = (await repository.RecordAsync(Detected(time.GetUtcNow(), asset: new AssetRef("north", "gw-north-01", "box-01"), fault: FaultType.HighEarthResistance), Cancel)).Ticket.Number;
        var start = time.GetUtcNow();
        foreach (var number in new[] { mast, box })
        {
            await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", start.AddMinutes(5)), Cancel);
        }

        await repository.ChangeAsync(box, t => t.Resolve(Repair, "li.wei", start.AddHours(1)), Cancel);
        await repository.ChangeAsync(mast, t => t.Resolve(Repair, "li.wei", start.AddHours(2)), Cancel);
        await repository.ChangeAsync(mast, t => t.Close("operator.zhang", start.AddHours(3), "verified"), Cancel);

        // The mast owes its survey (due 16 h after closing) and return visit (7 days); the box its verification (48 h).
        Assert.Empty(await repository.ListFollowUpsDueAsync(start.AddHours(18), Cancel));
        Assert.Equal(new[] { mast }, (await repository.ListFollowUpsDueAsync(start.AddHours(19), Cancel)).Select(t => t.Number));
        Assert.Equal(new[] { mast, box }, (await repository.ListFollowUpsDueAsync(start.AddDays(3), Cancel)).Select(t => t.Number));

        await repository.ChangeAsync(mast, t => t.RecordSurvey(5, null, "operator.zhang", start.AddHours(10)), Cancel);
        var reopened = database.OpenRepository(time);
        Assert.Equal(new[] { box }, (await reopened.ListFollowUpsDueAsync(start.AddDays(3), Cancel)).Select(t => t.Number));
        Assert.Equal(new[] { box, mast }, (await reopened.ListFollowUpsDueAsync(start.AddDays(8), Cancel)).Select(t => t.Number));

        await reopened.ChangeAsync(mast, t => t.RecordReturnVisit("repair holds", "li.wei", start.AddDays(2)), Cancel);
        await reopened.ChangeAsync(box, t => t.Close("operator.zhang", start.AddHours(30), null), Cancel);
        Assert.Equal(new[] { box }, (await reopened.ListFollowUpsDueAsync(start.AddDays(8), Cancel)).Select(t => t.Number));
        Assert.Equal([FollowUpKind.Survey], (await reopened.FindAsync(box, Cancel))!.OpenFollowUps.Select(f => f.Kind));
    }

    [Fact]
    public async Task A_ticket_stored_before_related_conditions_existed_reads_with_none_and_takes_its_next_step()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        await using (var connection = await database.Database.OpenAsync(Cancel))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tickets SET document = replace(document, ',\"Related\":[]', '')";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
            command.CommandText = "SELECT document FROM tickets";
            Assert.DoesNotContain("Related", (string)(await command.ExecuteScalarAsync(Cancel))!, StringComparison.Ordinal);
        }

        var reopened = database.OpenRepository(time);
        var ticket = (await reopened.FindAsync(number, Cancel))!;

        Assert.Empty(ticket.Related);
        Assert.Equal([ticket.Fault], ticket.ActiveConditions);
        var acknowledged = await reopened.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        Assert.Equal(TicketStatus.Acknowledged, acknowledged.Status);
    }

    [Fact]
    public async Task A_ticket_stored_before_steps_recorded_their_client_reads_with_no_client()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow(), "crew phone"), Cancel);
        await using (var connection = await database.Database.OpenAsync(Cancel))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tickets SET document = replace(replace(document, ',\"Client\":null', ''), ',\"Client\":\"crew phone\"', '')";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
            command.CommandText = "SELECT document FROM tickets";
            Assert.DoesNotContain("Client", (string)(await command.ExecuteScalarAsync(Cancel))!, StringComparison.Ordinal);
        }

        var ticket = (await database.OpenRepository(time).FindAsync(number, Cancel))!;

        Assert.Equal([null, null], ticket.History.Select(s => s.Client));
        Assert.Equal(TicketStatus.Acknowledged, ticket.Status);
    }

    [Fact]
    public async Task A_resolution_stored_before_resolutions_had_a_note_reads_with_none()
    {
        var number = await OpenAndCloseAsync();
        await using (var connection = await database.Database.OpenAsync(Cancel))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tickets SET document = replace(document, ',\"Note\":null', '')";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
            command.CommandText = "SELECT document FROM tickets";
            Assert.DoesNotContain("\"Note\"", (string)(await command.ExecuteScalarAsync(Cancel))!, StringComparison.Ordinal);
        }

        var ticket = (await database.OpenRepository(time).FindAsync(number, Cancel))!;

        Assert.Null(ticket.Resolution!.Note);
        Assert.Equal(Repair.Cause, ticket.Resolution.Cause);
    }

    [Fact]
    public async Task A_reopened_ticket_and_a_comment_are_stored_with_who_and_from_where()
    {
        var number = await OpenAndCloseAsync();

        await repository.ChangeAsync(number, t => t.Reopen("lamps dark again", "operator.zhang", time.GetUtcNow(), "web"), Cancel);
        await repository.ChangeAsync(number, t => t.Comment("<b>spare driver</b> on the van", "li.wei", time.GetUtcNow(), "crew phone"), Cancel);
        var ticket = (await repository.FindAsync(number, Cancel))!;

        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(
            [(TicketStepKind.Reopened, "operator.zhang", "lamps dark again", "web"), (TicketStepKind.Commented, "li.wei", "<b>spare driver</b> on the van", "crew phone")],
            ticket.History.TakeLast(2).Select(s => (s.What, s.Actor, s.Detail, s.Client)));
    }

    [Fact]
    public async Task Numbers_run_on_within_a_month_and_restart_at_0001_in_the_next()
    {
        var numbers = new List<string>();
        foreach (var (day, mast) in new[] { (29, 1), (30, 2), (30, 3), (31, 4), (31, 5) })
        {
            time.SetUtcNow(new DateTimeOffset(2026, day == 31 ? 12 : 11, day == 31 ? 1 : day, 12, 0, 0, TimeSpan.Zero));
            numbers.Add((await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(mast)), Cancel)).Ticket.Number.ToString());
        }

        Assert.Equal(["YW2611-0001", "YW2611-0002", "YW2611-0003", "YW2612-0001", "YW2612-0002"], numbers);
    }

    [Fact]
    public async Task Month_of_a_number_is_the_service_units_month()
    {
        time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero));
        var shanghai = database.OpenRepository(time, new TicketOptions { ServiceUnit = "SH01", TimeZone = "Asia/Shanghai" });

        var ticket = (await shanghai.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket;

        Assert.Equal("SH012612-0001", ticket.Number.ToString());
    }

    [Fact]
    public async Task Thousand_tickets_created_concurrently_by_several_processes_get_consecutive_numbers_without_gaps()
    {
        const int Count = 1000;
        var repositories = Enumerable.Range(0, 3).Select(_ => database.OpenRepository(time)).ToArray();
        var numbers = new System.Collections.Concurrent.ConcurrentBag<TicketNumber>();

        await Parallel.ForEachAsync(
            Enumerable.Range(0, Count),
            new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = Cancel },
            async (i, ct) =>
            {
                var asset = new AssetRef("north", $"gw-{i % 10}", $"mast-{i}");
                var recorded = await repositories[i % repositories.Length].RecordAsync(Detected(time.GetUtcNow(), asset: asset), ct);
                Assert.True(recorded.Opened);
                numbers.Add(recorded.Ticket.Number);
            });

        Assert.Equal(Enumerable.Range(1, Count), numbers.Select(n => n.Sequence).Order());
        Assert.All(numbers, n => Assert.Equal("2611", n.Period));
    }

    [Fact]
    public async Task Creation_rolled_back_gives_its_number_back()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(1)), Cancel);
        await using (var connection = await database.Database.OpenAsync(Cancel))
        {
            // Fails the insert after the number was taken, as a crash or a constraint would.
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER refuse_mast_2 BEFORE INSERT ON tickets WHEN NEW.asset_key LIKE '%/mast-02' BEGIN SELECT RAISE(ABORT, 'refused'); END;";
            await command.ExecuteNonQueryAsync(Cancel);
        }

        await Assert.ThrowsAsync<SqliteException>(() => repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(2)), Cancel));
        var next = await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(3)), Cancel);

        Assert.Equal("YW2611-0002", next.Ticket.Number.ToString());
    }

    [Fact]
    public async Task Same_detection_recorded_concurrently_by_several_processes_opens_one_ticket()
    {
        var detected = Detected(time.GetUtcNow());
        var repositories = Enumerable.Range(0, 4).Select(_ => database.OpenRepository(time)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => repositories[i % 4].RecordAsync(detected, Cancel), Cancel)));

        Assert.Single(results, r => r.Opened);
        Assert.Single(results.Select(r => r.Ticket.Number).Distinct());
        var ticket = Assert.Single(await repository.ListAsync(new TicketQuery(), Cancel));
        Assert.Equal(1, ticket.Occurrences);
    }

    [Fact]
    public async Task Concurrent_recurrences_are_each_counted_on_the_one_open_ticket()
    {
        var repositories = Enumerable.Range(0, 4).Select(_ => database.OpenRepository(time)).ToArray();
        var start = time.GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => repositories[i % 4].RecordAsync(Detected(start.AddSeconds(i)), Cancel), Cancel)));

        var ticket = Assert.Single(await repository.ListAsync(new TicketQuery(), Cancel));
        Assert.InRange(ticket.Occurrences, 1, 30);

        // Later detections counted after an earlier one count; earlier ones arriving after a later are redeliveries.
        Assert.Equal(ticket.Occurrences, ticket.History.Count(s => s.What is TicketStepKind.Opened or TicketStepKind.Occurred));
        Assert.Equal(start.AddSeconds(29), ticket.LastOccurrence);
    }

    [Fact]
    public async Task Recurrence_while_not_closed_counts_an_occurrence_and_redelivery_does_not()
    {
        var opened = await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);
        await repository.RecordClearedAsync(Cleared(time.GetUtcNow().AddMinutes(10)), Cancel);
        var again = Detected(time.GetUtcNow().AddMinutes(30), lampsLit: 4);

        var first = await repository.RecordAsync(again, Cancel);
        var redelivered = await repository.RecordAsync(again, Cancel);

        Assert.False(first.Opened);
        Assert.Equal(opened.Ticket.Number, first.Ticket.Number);
        Assert.Equal(2, redelivered.Ticket.Occurrences);
        Assert.True(redelivered.Ticket.ConditionActive);
        Assert.Equal(4, redelivered.Ticket.Evidence["lamps_lit"]);
        Assert.Equal(first.Ticket.Version, redelivered.Ticket.Version);
    }

    [Fact]
    public async Task Partial_unique_index_refuses_a_second_ticket_not_closed_for_the_same_asset_and_fault()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);
        await using var connection = await database.Database.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO tickets SELECT 'YW2611-9999', asset_key, site, fault, grade, 'acknowledged', crew, opened_at, closed_at, condition_active, watch_response, watch_arrival, watch_fix, version, document FROM tickets";

        var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync(Cancel));

        Assert.Equal(19, refused.SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task Detection_within_7_days_of_closing_opens_a_repeat_repair_ticket()
    {
        var first = await OpenAndCloseAsync();
        time.Advance(TimeSpan.FromDays(6));

        var again = await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);

        Assert.True(again.Opened);
        Assert.True(again.RepeatRepair);
        Assert.Equal(first, again.Ticket.RepeatOf);
        Assert.True((await repository.FindAsync(again.Ticket.Number, Cancel))!.RepeatRepair);
        Assert.NotEqual(first, again.Ticket.Number);
    }

    [Fact]
    public async Task A_worse_detection_on_a_resolved_ticket_reopens_it_once_at_the_worse_grade_and_tells_the_crew()
    {
        var gatewayOffline = new AssetRef("north", "gw-north-01", null);
        var opened = await repository.RecordAsync(Detected(time.GetUtcNow(), asset: gatewayOffline, fault: FaultType.GatewayOffline, grade: FaultGrade.Grade2), Cancel);
        var number = opened.Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(5));
        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        time.Advance(TimeSpan.FromMinutes(20));
        await repository.ChangeAsync(number, t => t.Resolve(Repair, "li.wei", time.GetUtcNow()), Cancel);

        // The repair did not hold, and night has fallen: the same fault at grade 1.
        time.Advance(TimeSpan.FromMinutes(10));
        var worse = Detected(time.GetUtcNow(), asset: gatewayOffline, fault: FaultType.GatewayOffline, grade: FaultGrade.Grade1);
        var recorded = await repository.RecordAsync(worse, Cancel);
        var again = await repository.RecordAsync(worse, Cancel);

        Assert.False(recorded.Opened);
        Assert.Equal(FaultGrade.Grade2, recorded.GradeBefore);
        var ticket = (await repository.FindAsync(number, Cancel))!;
        Assert.Equal((TicketStatus.Open, FaultGrade.Grade1), (ticket.Status, ticket.Grade));
        Assert.Null(ticket.AcknowledgedAt);
        Assert.Null(ticket.Resolution);
        Assert.Equal(time.GetUtcNow().AddMinutes(10), ticket.Deadlines.RespondBy);
        Assert.Single(ticket.History, s => s.What == TicketStepKind.Reopened);
        Assert.Contains(ticket.History, s => s.What == TicketStepKind.Resolved);
        Assert.Equal(FaultGrade.Grade1, again.Ticket.Grade);
        Assert.Equal(FaultGrade.Grade1, again.GradeBefore ?? again.Ticket.Grade);
        var reopened = (await database.OpenOutbox().ListDueAsync("mqtt", time.GetUtcNow(), 100, Cancel)).Where(n => n.Kind == NotificationKind.Reopened).ToList();
        Assert.Single(reopened);
        Assert.Equal("crew-north", reopened[0].Crew);
        Assert.Single(await repository.ListAsync(new TicketQuery { AssetKey = gatewayOffline.Key }, Cancel));
    }

    [Fact]
    public async Task A_detection_no_worse_than_a_resolved_tickets_grade_only_counts_an_occurrence()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(5));
        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        await repository.ChangeAsync(number, t => t.Resolve(Repair, "li.wei", time.GetUtcNow()), Cancel);
        time.Advance(TimeSpan.FromMinutes(5));

        await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);

        var ticket = (await repository.FindAsync(number, Cancel))!;
        Assert.Equal((TicketStatus.Resolved, 2), (ticket.Status, ticket.Occurrences));
        Assert.DoesNotContain(ticket.History, s => s.What == TicketStepKind.Reopened);
    }

    [Fact]
    public async Task Detection_more_than_7_days_after_closing_opens_an_ordinary_ticket()
    {
        await OpenAndCloseAsync();
        time.Advance(TimeSpan.FromDays(7));

        var again = await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);

        Assert.True(again.Opened);
        Assert.False(again.RepeatRepair);
        Assert.Null(again.Ticket.RepeatOf);
    }

    [Fact]
    public async Task Detection_the_closed_ticket_already_counted_does_not_open_another()
    {
        var detected = Detected(time.GetUtcNow());
        var number = await OpenAndCloseAsync(detected);

        var redelivered = await repository.RecordAsync(detected, Cancel);

        Assert.False(redelivered.Opened);
        Assert.Equal(number, redelivered.Ticket.Number);
        Assert.Single(await repository.ListAsync(new TicketQuery(), Cancel));
    }

    [Fact]
    public async Task Every_step_through_the_store_records_actor_and_time()
    {
        var number = await OpenAndCloseAsync();

        var ticket = (await repository.FindAsync(number, Cancel))!;

        Assert.Equal(TicketStatus.Closed, ticket.Status);
        Assert.Equal(
            [TicketStepKind.Opened, TicketStepKind.Acknowledged, TicketStepKind.ArrivedOnSite, TicketStepKind.Resolved, TicketStepKind.Closed],
            ticket.History.Select(s => s.What));
        Assert.Equal(["rules", "li.wei", "li.wei", "li.wei", "operator.zhang"], ticket.History.Select(s => s.Actor));
        Assert.Equal(ticket.History.Select(s => s.At).Order(), ticket.History.Select(s => s.At));
        Assert.Equal(5, ticket.Version);
    }

    [Theory]
    [InlineData(TicketStatus.Open)]
    [InlineData(TicketStatus.Acknowledged)]
    [InlineData(TicketStatus.Closed)]
    public async Task Illegal_move_through_the_store_throws_and_changes_nothing_stored(TicketStatus status)
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        if (status >= TicketStatus.Acknowledged)
        {
            await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        }

        if (status == TicketStatus.Closed)
        {
            await repository.ChangeAsync(number, t => t.Resolve(Repair, "li.wei", time.GetUtcNow()), Cancel);
            await repository.ChangeAsync(number, t => t.Close("operator.zhang", time.GetUtcNow(), null), Cancel);
        }

        var before = await SnapshotAsync();

        await Assert.ThrowsAsync<TicketLifecycleException>(() => repository.ChangeAsync(number, t => t.Close("operator.zhang", time.GetUtcNow(), null), Cancel));
        if (status != TicketStatus.Closed)
        {
            await Assert.ThrowsAsync<TicketLifecycleException>(() => repository.ChangeAsync(number, t => t.ArriveOnSite("li.wei", time.GetUtcNow().AddDays(-1)), Cancel));
        }
        else
        {
            await Assert.ThrowsAsync<TicketLifecycleException>(() => repository.ChangeAsync(number, t => t.Reassign("crew-south", CrewZone.Town, "operator.zhang", time.GetUtcNow()), Cancel));
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Change_to_a_ticket_that_does_not_exist_throws_not_found()
    {
        var missing = TicketNumber.Parse("YW2611-0042");

        var thrown = await Assert.ThrowsAsync<TicketNotFoundException>(() => repository.ChangeAsync(missing, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel));

        Assert.Equal(missing, thrown.Number);
        Assert.Null(await repository.FindAsync(missing, Cancel));
    }

    [Fact]
    public async Task Concurrent_changes_from_several_processes_lose_no_update()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        var repositories = Enumerable.Range(0, 4).Select(_ => database.OpenRepository(time)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(
            () => repositories[i % 4].ChangeAsync(number, t => t.Reassign($"crew-{i}", null, "operator.zhang", time.GetUtcNow()), Cancel),
            Cancel)));

        var ticket = (await repository.FindAsync(number, Cancel))!;
        Assert.Equal(24, ticket.History.Count(s => s.What == TicketStepKind.Reassigned));
        Assert.Equal(25, ticket.Version);
        var outbox = database.OpenOutbox();
        var reassigned = (await outbox.ListDueAsync("mqtt", time.GetUtcNow(), 100, Cancel)).Where(n => n.Kind == NotificationKind.Reassigned).ToList();
        Assert.Equal(24, reassigned.Select(n => n.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"crew-{i}").Order(), reassigned.Select(n => n.Crew).Order());
    }

    [Fact]
    public async Task Ticket_not_acknowledged_in_10_minutes_is_escalated_once()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark), Cancel)).Ticket.Number;

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await repository.ListUnescalatedBreachesAsync(time.GetUtcNow(), Cancel));

        time.Advance(TimeSpan.FromMinutes(1));
        var breached = Assert.Single(await repository.ListUnescalatedBreachesAsync(time.GetUtcNow(), Cancel));
        Assert.Equal(number, breached.Number);
        Assert.Equal([DeadlineKind.Response], breached.UnescalatedBreaches(time.GetUtcNow()));

        var escalated = await repository.ChangeAsync(number, t => t.Escalate(DeadlineKind.Response, time.GetUtcNow()), Cancel);
        var retried = await repository.ChangeAsync(number, t => t.Escalate(DeadlineKind.Response, time.GetUtcNow()), Cancel);

        Assert.Single(retried.Escalations);
        Assert.Equal(escalated.Version, retried.Version);
        Assert.Empty(await repository.ListUnescalatedBreachesAsync(time.GetUtcNow(), Cancel));
        var notifications = (await database.OpenOutbox().ListDueAsync("mqtt", time.GetUtcNow(), 100, Cancel))
            .Where(n => n.Kind == NotificationKind.Escalated).ToList();
        Assert.Equal(["crew-north", "supervisor"], notifications.Select(n => n.Crew).Order());
        Assert.All(notifications, n => Assert.Equal($"{number}/escalated/response", n.Id));
    }

    [Fact]
    public async Task Breach_is_computed_from_stored_times_after_a_restart()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(30));

        var restarted = database.OpenRepository(time);

        Assert.Equal([number], (await restarted.ListUnescalatedBreachesAsync(time.GetUtcNow(), Cancel)).Select(t => t.Number));
        var ticket = (await restarted.FindAsync(number, Cancel))!;
        Assert.True(ticket.IsBreached(DeadlineKind.Response, time.GetUtcNow()));
        Assert.False(ticket.IsBreached(DeadlineKind.Arrival, time.GetUtcNow()));
    }

    [Fact]
    public async Task Escalation_retried_from_a_second_process_is_not_duplicated()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(15));
        var other = database.OpenRepository(time);

        await Task.WhenAll(
            Task.Run(() => repository.ChangeAsync(number, t => t.Escalate(DeadlineKind.Response, time.GetUtcNow()), Cancel), Cancel),
            Task.Run(() => other.ChangeAsync(number, t => t.Escalate(DeadlineKind.Response, time.GetUtcNow()), Cancel), Cancel));

        Assert.Single((await repository.FindAsync(number, Cancel))!.Escalations);
        var due = await database.OpenOutbox().ListDueAsync("mqtt", time.GetUtcNow(), 100, Cancel);
        Assert.Equal(2, due.Count(n => n.Kind == NotificationKind.Escalated));
    }

    [Fact]
    public async Task Ticket_acknowledged_in_time_is_never_listed_as_breached_for_response()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(9));
        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);

        time.Advance(TimeSpan.FromMinutes(60));
        Assert.Empty(await repository.ListUnescalatedBreachesAsync(time.GetUtcNow(), Cancel));

        time.Advance(TimeSpan.FromHours(2));
        var late = Assert.Single(await repository.ListUnescalatedBreachesAsync(time.GetUtcNow(), Cancel));
        Assert.Equal([DeadlineKind.Arrival], late.UnescalatedBreaches(time.GetUtcNow()));
    }

    [Fact]
    public async Task Total_dark_and_cable_theft_of_one_event_are_one_ticket_named_for_the_theft()
    {
        var opened = await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark, lampsLit: 0), Cancel);
        time.Advance(TimeSpan.FromMinutes(1));

        var theft = await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.CableTheft, lampsLit: 0), Cancel);
        var again = await repository.RecordAsync(Detected(time.GetUtcNow().AddMinutes(2), fault: FaultType.TotalDark, lampsLit: 0), Cancel);

        Assert.False(theft.Opened);
        Assert.Equal(opened.Ticket.Number, theft.Ticket.Number);
        Assert.Equal(opened.Ticket.Number, again.Ticket.Number);
        var ticket = Assert.Single(await repository.ListAsync(new TicketQuery(), Cancel));
        Assert.Equal((FaultType.CableTheft, FaultGrade.Grade1, 1), (ticket.Fault, ticket.Grade, ticket.Occurrences));
        var related = Assert.Single(ticket.Related);
        Assert.Equal((FaultType.TotalDark, 2), (related.Fault, related.Occurrences));
        Assert.Equal(ticket.Number, Assert.Single(await repository.ListAsync(new TicketQuery { Fault = FaultType.CableTheft }, Cancel)).Number);
        Assert.Empty(await repository.ListAsync(new TicketQuery { Fault = FaultType.TotalDark }, Cancel));
        Assert.Single(await database.OpenOutbox().ListDueAsync("mqtt", time.GetUtcNow().AddHours(1), 100, Cancel), n => n.Kind == NotificationKind.Opened);
    }

    [Fact]
    public async Task A_ticket_stays_active_while_any_of_its_conditions_holds()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.CableTheft, lampsLit: 0), Cancel)).Ticket.Number;
        await repository.RecordAsync(Detected(time.GetUtcNow().AddMinutes(1), fault: FaultType.TotalDark, lampsLit: 0), Cancel);

        await repository.RecordClearedAsync(Cleared(time.GetUtcNow().AddMinutes(5), fault: FaultType.CableTheft), Cancel);
        var active = Assert.Single(await repository.ListActiveConditionsAsync(Cancel));
        Assert.Equal([FaultType.TotalDark], active.ActiveConditions);

        var cleared = await repository.RecordClearedAsync(Cleared(time.GetUtcNow().AddMinutes(6), fault: FaultType.TotalDark), Cancel);
        Assert.Equal(number, cleared?.Number);
        Assert.Empty(await repository.ListActiveConditionsAsync(Cancel));
    }

    [Fact]
    public async Task A_related_condition_back_after_closing_is_a_repeat_repair_and_later_faults_are_other_events()
    {
        var first = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.CableTheft, lampsLit: 0), Cancel)).Ticket.Number;
        await repository.RecordAsync(Detected(time.GetUtcNow().AddMinutes(1), fault: FaultType.TotalDark, lampsLit: 0), Cancel);
        await repository.ChangeAsync(first, t => t.Acknowledge("li.wei", time.GetUtcNow().AddMinutes(2)), Cancel);
        await repository.ChangeAsync(first, t => t.Resolve(Repair, "li.wei", time.GetUtcNow().AddMinutes(50)), Cancel);
        await repository.ChangeAsync(first, t => t.Close("operator.zhang", time.GetUtcNow().AddMinutes(60), null), Cancel);
        time.Advance(TimeSpan.FromDays(1));

        var dark = await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.TotalDark, lampsLit: 0), Cancel);
        time.Advance(TimeSpan.FromHours(2));
        var theft = await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.CableTheft, lampsLit: 0), Cancel);

        Assert.True(dark.Opened);
        Assert.Equal(first, dark.Ticket.RepeatOf);
        Assert.True(theft.Opened);
        Assert.Equal(first, theft.Ticket.RepeatOf);
        Assert.Equal(3, (await repository.ListAsync(new TicketQuery(), Cancel)).Count);
    }

    [Fact]
    public async Task Condition_cleared_is_recorded_and_the_ticket_stays()
    {
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        Assert.Single(await repository.ListActiveConditionsAsync(Cancel));

        var cleared = await repository.RecordClearedAsync(Cleared(time.GetUtcNow().AddMinutes(20)), Cancel);

        Assert.NotNull(cleared);
        var ticket = (await repository.FindAsync(number, Cancel))!;
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.False(ticket.ConditionActive);
        Assert.Equal(time.GetUtcNow().AddMinutes(20), ticket.ConditionClearedAt);
        Assert.Empty(await repository.ListActiveConditionsAsync(Cancel));
        Assert.Single(await repository.ListAsync(new TicketQuery { OpenOnly = true }, Cancel));
    }

    [Fact]
    public async Task Clearing_with_no_ticket_open_returns_null()
    {
        await OpenAndCloseAsync();

        Assert.Null(await repository.RecordClearedAsync(Cleared(time.GetUtcNow()), Cancel));
        Assert.Null(await repository.RecordClearedAsync(Cleared(time.GetUtcNow(), asset: Mast(9)), Cancel));
    }

    [Fact]
    public async Task Active_conditions_are_the_tickets_not_closed_whose_condition_holds()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(1)), Cancel);
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(2)), Cancel);
        await repository.RecordClearedAsync(Cleared(time.GetUtcNow().AddMinutes(1), asset: Mast(2)), Cancel);
        await OpenAndCloseAsync(Detected(time.GetUtcNow(), asset: Mast(3)));
        await repository.OpenManualAsync(Manual(Mast(4)), Cancel);

        var active = await repository.ListActiveConditionsAsync(Cancel);

        Assert.Equal([Mast(1).Key], active.Select(t => t.Asset.Key));
    }

    [Fact]
    public async Task Operator_opens_a_ticket_by_hand_with_the_next_number()
    {
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(1)), Cancel);

        var ticket = await repository.OpenManualAsync(Manual(Mast(2)), Cancel);

        Assert.Equal("YW2611-0002", ticket.Number.ToString());
        Assert.Equal(TicketOrigin.Operator("operator.zhang"), ticket.Origin);
        Assert.Equal(("operator.zhang", time.GetUtcNow()), (ticket.History[0].Actor, ticket.OpenedAt));
        Assert.False(ticket.ConditionActive);
        Assert.Equal(FaultGrade.Grade4, ticket.Grade);
    }

    [Fact]
    public async Task Operator_cannot_open_a_second_ticket_for_an_asset_and_fault_not_closed()
    {
        var existing = (await repository.RecordAsync(Detected(time.GetUtcNow(), fault: FaultType.ManualOverrideLeftOn), Cancel)).Ticket;

        var refused = await Assert.ThrowsAsync<TicketAlreadyOpenException>(() => repository.OpenManualAsync(Manual(Mast()), Cancel));

        Assert.Equal(existing.Number, refused.Existing);
        Assert.Single(await repository.ListAsync(new TicketQuery(), Cancel));
    }

    [Fact]
    public async Task Manual_ticket_with_an_invalid_crew_is_refused_and_uses_no_number()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => repository.OpenManualAsync(Manual(Mast(1)) with { Crew = "crew north/+" }, Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.OpenManualAsync(Manual(Mast(1)) with { Actor = " " }, Cancel));

        var ticket = await repository.OpenManualAsync(Manual(Mast(1)), Cancel);

        Assert.Equal("YW2611-0001", ticket.Number.ToString());
    }

    [Fact]
    public async Task List_filters_and_pages_newest_first()
    {
        var south = new AssetRef("south", "gw-south-01", "box-03");
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(1)), Cancel);
        time.Advance(TimeSpan.FromMinutes(1));
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(2), fault: FaultType.TotalDark, crew: "crew-east"), Cancel);
        time.Advance(TimeSpan.FromMinutes(1));
        var boxTicket = (await repository.RecordAsync(Detected(time.GetUtcNow(), asset: south, fault: FaultType.LowInsulation), Cancel)).Ticket;
        time.Advance(TimeSpan.FromMinutes(1));
        await repository.ChangeAsync(boxTicket.Number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);

        async Task<string[]> Numbers(TicketQuery query) => [.. (await repository.ListAsync(query, Cancel)).Select(t => t.Number.ToString()[^1..])];

        Assert.Equal(["3", "2", "1"], await Numbers(new TicketQuery()));
        Assert.Equal(["3"], await Numbers(new TicketQuery { Site = "south" }));
        Assert.Equal(["2"], await Numbers(new TicketQuery { Crew = "crew-east" }));
        Assert.Equal(["2"], await Numbers(new TicketQuery { Grade = FaultGrade.Grade1 }));
        Assert.Equal(["3"], await Numbers(new TicketQuery { Fault = FaultType.LowInsulation }));
        Assert.Equal(["1"], await Numbers(new TicketQuery { AssetKey = Mast(1).Key }));
        Assert.Equal(["3"], await Numbers(new TicketQuery { Statuses = [TicketStatus.Acknowledged, TicketStatus.Closed] }));
        Assert.Equal(["2", "1"], await Numbers(new TicketQuery { Statuses = [TicketStatus.Open] }));
        Assert.Equal(["3", "2", "1"], await Numbers(new TicketQuery { OpenOnly = true }));
        Assert.Equal(["2"], await Numbers(new TicketQuery { OpenedFrom = TestClock.Start.AddMinutes(1), OpenedTo = TestClock.Start.AddMinutes(2) }));
        Assert.Equal(["2"], await Numbers(new TicketQuery { Limit = 1, Offset = 1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => repository.ListAsync(new TicketQuery { Limit = 0 }, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => repository.ListAsync(new TicketQuery { Limit = TicketQuery.MaxLimit + 1 }, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => repository.ListAsync(new TicketQuery { Offset = -1 }, Cancel));
    }

    [Fact]
    public void Invalid_options_are_refused_naming_each_setting()
    {
        var options = new TicketOptions { ServiceUnit = "yw", TimeZone = "Mars/Olympus", SupervisorChannel = "duty desk" };

        var thrown = Assert.Throws<ArgumentException>(() => database.OpenRepository(time, options));

        Assert.Contains("ServiceUnit", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("TimeZone", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("SupervisorChannel", thrown.Message, StringComparison.Ordinal);
    }

    private static ManualTicket Manual(AssetRef asset) =>
        new(asset, FaultType.ManualOverrideLeftOn, FaultGrade.Grade4, "manual override left on since the patrol", "crew-north", CrewZone.Inner, "operator.zhang");

    /// <summary>Opens a ticket for the detection (the clock's time by default) and takes it to closed within the hour.</summary>
    private async Task<TicketNumber> OpenAndCloseAsync(FaultDetected? detected = null)
    {
        var number = (await repository.RecordAsync(detected ?? Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(5));
        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        time.Advance(TimeSpan.FromMinutes(30));
        await repository.ChangeAsync(number, t => t.ArriveOnSite("li.wei", time.GetUtcNow()), Cancel);
        time.Advance(TimeSpan.FromMinutes(20));
        await repository.ChangeAsync(number, t => t.Resolve(Repair, "li.wei", time.GetUtcNow()), Cancel);
        time.Advance(TimeSpan.FromMinutes(5));
        await repository.ChangeAsync(number, t => t.Close("operator.zhang", time.GetUtcNow(), "verified with the customer"), Cancel);
        return number;
    }

    /// <summary>Every stored row of the ticket and outbox tables, to compare before and after.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = await database.Database.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT group_concat(number || version || document, '|') FROM tickets
            UNION ALL SELECT group_concat(id || channel || payload, '|') FROM ticket_notifications
            """;
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var rows = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            rows.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return string.Join("\n", rows);
    }
}
