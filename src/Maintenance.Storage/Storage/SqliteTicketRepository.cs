using System.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The ticket store on the shared maintenance database. Several instances, in several processes, may use one file:
/// creations serialise on the write lock (BEGIN IMMEDIATE), which also makes month numbering gap-free; other changes
/// are optimistic, saved only over the version they were made from. Every save also appends to the change feed
/// (<see cref="SqliteTicketChangeFeed"/>) in its transaction.
/// </summary>
public sealed class SqliteTicketRepository : ITicketRepository
{
    private readonly TicketStoreSchema.Connections connections;
    private readonly TicketOptions options;
    private readonly TimeZoneInfo timeZone;
    private readonly TimeProvider timeProvider;

    public SqliteTicketRepository(SqliteDatabase database, TicketOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        connections = new TicketStoreSchema.Connections(database);
        this.options = options;
        this.timeProvider = timeProvider;
        timeZone = options.FindTimeZone();
    }

    public async Task<FaultRecorded> RecordAsync(FaultDetected detected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(detected);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var latest = await FindLatestAsync(connection, transaction, detected.Asset, detected.Fault, cancellationToken).ConfigureAwait(false);
        FaultRecorded recorded;
        long version;
        var effect = Ticket.EffectOf(latest, detected.At);
        if (effect == DetectionEffect.CountOnLatest && latest is not null)
        {
            var before = latest.State;
            latest.RecordOccurrence(detected);
            version = await SaveOrThrowAsync(connection, transaction, latest, before, cancellationToken).ConfigureAwait(false);
            recorded = new FaultRecorded(latest, Opened: false, RepeatRepair: false) { GradeBefore = before.Grade };
        }
        else if (effect == DetectionEffect.AlreadyCounted && latest is not null)
        {
            // A detection the closed ticket already counted, delivered again: it is no new fault.
            return new FaultRecorded(latest, Opened: false, RepeatRepair: false);
        }
        else if (await FindSameEventAsync(connection, transaction, detected, cancellationToken).ConfigureAwait(false) is { } companion)
        {
            // One event, one dispatch: the ticket the same event opened takes this diagnosis too.
            var before = companion.State;
            companion.AttachSameEvent(detected);
            version = await SaveOrThrowAsync(connection, transaction, companion, before, cancellationToken).ConfigureAwait(false);
            recorded = new FaultRecorded(companion, Opened: false, RepeatRepair: false) { GradeBefore = before.Grade };
        }
        else
        {
            var now = timeProvider.GetUtcNow();
            var number = await AllocateAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false);
            var ticket = Ticket.Open(number, detected, now, Ticket.RepeatedTicket(latest, detected.At, options), options);
            version = await InsertAsync(connection, transaction, ticket, cancellationToken).ConfigureAwait(false);
            recorded = new FaultRecorded(ticket, Opened: true, ticket.RepeatRepair);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        recorded.Ticket.Saved(version);
        return recorded;
    }

    public async Task<Ticket?> RecordClearedAsync(FaultCleared cleared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cleared);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var ticket = await FindLatestAsync(connection, transaction, cleared.Asset, cleared.Fault, cancellationToken).ConfigureAwait(false);
        if (ticket is not { Status: not TicketStatus.Closed })
        {
            return null;
        }

        var before = ticket.State;
        ticket.RecordCleared(cleared);
        var version = await SaveOrThrowAsync(connection, transaction, ticket, before, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        ticket.Saved(version);
        return ticket;
    }

    public async Task<Ticket> OpenManualAsync(ManualTicket request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var latest = await FindLatestAsync(connection, transaction, request.Asset, request.Fault, cancellationToken).ConfigureAwait(false);
        if (latest is { Status: not TicketStatus.Closed })
        {
            throw new TicketAlreadyOpenException(latest.Number, latest.Asset.Key, latest.Fault.ToName());
        }

        var now = timeProvider.GetUtcNow();
        var number = await AllocateAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false);
        var ticket = Ticket.Open(number, request, now, Ticket.RepeatedTicket(latest, now, options), options);
        var version = await InsertAsync(connection, transaction, ticket, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        ticket.Saved(version);
        return ticket;
    }

    public async Task<Ticket?> FindAsync(TicketNumber number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, number, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Ticket>> ListAsync(TicketQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query.Limit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, TicketQuery.MaxLimit, nameof(query.Limit));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query.Offset));

        var where = new StringBuilder("1 = 1");
        var parameters = new List<(string, object?)>();
        void Filter(string condition, string name, object value)
        {
            where.Append(" AND ").Append(condition);
            parameters.Add((name, value));
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = statuses.Distinct().Select((s, i) => (Name: $"$status{i}", Value: s.ToName())).ToList();
            where.Append(" AND status IN (").AppendJoin(", ", names.Select(n => n.Name)).Append(')');
            parameters.AddRange(names.Select(n => (n.Name, (object?)n.Value)));
        }

        if (query.Site is not null)
        {
            Filter("site = $site", "$site", query.Site);
        }

        if (query.Crew is not null)
        {
            Filter("crew = $crew", "$crew", query.Crew);
        }

        if (query.Grade is { } grade)
        {
            Filter("grade = $grade", "$grade", (int)grade);
        }

        if (query.Fault is { } fault)
        {
            Filter("fault = $fault", "$fault", fault.ToName());
        }

        if (query.AssetKey is not null)
        {
            Filter("asset_key = $asset", "$asset", query.AssetKey);
        }

        if (query.OpenOnly)
        {
            where.Append(" AND status <> 'closed'");
        }

        if (query.OpenedFrom is { } from)
        {
            Filter("opened_at >= $from", "$from", from.ToUnixTimeMilliseconds());
        }

        if (query.OpenedTo is { } to)
        {
            Filter("opened_at < $to", "$to", to.ToUnixTimeMilliseconds());
        }

        if (query.NotClosedBefore is { } closedFrom)
        {
            Filter("(closed_at IS NULL OR closed_at >= $closedFrom)", "$closedFrom", closedFrom.ToUnixTimeMilliseconds());
        }

        parameters.Add(("$limit", query.Limit));
        parameters.Add(("$offset", query.Offset));
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ListAsync(
            connection,
            $"SELECT document FROM tickets WHERE {where} ORDER BY opened_at DESC, number DESC LIMIT $limit OFFSET $offset",
            [.. parameters],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<Ticket> ChangeAsync(TicketNumber number, Action<Ticket> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);

        // First without the write lock, so that a slow change does not hold up other writers.
        var ticket = await LoadAndChangeAsync(connection, null, number, change, cancellationToken).ConfigureAwait(false);
        if (ticket.Change is null)
        {
            return ticket.Ticket;
        }

        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var version = await SaveAsync(connection, transaction, ticket.Ticket, ticket.Change, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            // Saved by someone else in between: once more under the write lock, where nobody can be in between.
            ticket = await LoadAndChangeAsync(connection, transaction, number, change, cancellationToken).ConfigureAwait(false);
            version = ticket.Change is null
                ? ticket.Ticket.Version
                : await SaveOrThrowAsync(connection, transaction, ticket.Ticket, ticket.Change, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        ticket.Ticket.Saved(version.Value);
        return ticket.Ticket;
    }

    public async Task<IReadOnlyList<Ticket>> ListFollowUpsDueAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ListAsync(
            connection,
            """
            SELECT t.document FROM tickets t
            JOIN (SELECT number, min(due) AS first_due FROM ticket_follow_ups WHERE due <= $before GROUP BY number) f ON f.number = t.number
            ORDER BY f.first_due, t.number
            LIMIT 1000
            """,
            [("$before", dueBefore.ToUnixTimeMilliseconds())],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Ticket>> ListActiveConditionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ListAsync(
            connection,
            "SELECT document FROM tickets WHERE status <> 'closed' AND condition_active = 1 ORDER BY opened_at, rowid",
            [],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Ticket>> ListUnescalatedBreachesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);

        // The watch columns are whole milliseconds, so they narrow the search and the ticket itself decides.
        var candidates = await ListAsync(
            connection,
            """
            SELECT document FROM tickets
            WHERE status <> 'closed' AND (watch_response <= $now OR watch_arrival <= $now OR watch_fix <= $now)
            ORDER BY opened_at, rowid
            """,
            [("$now", now.ToUnixTimeMilliseconds())],
            cancellationToken).ConfigureAwait(false);
        return [.. candidates.Where(t => t.UnescalatedBreaches(now).Count > 0)];
    }

    private static long? Watch(Ticket ticket, DeadlineKind kind)
    {
        if (ticket.Deadlines.For(kind) is not { } due || ticket.IsEscalated(kind) || ticket.DoneAt(kind) <= due)
        {
            return null;
        }

        return due.ToUnixTimeMilliseconds();
    }

    private static async Task InsertNotificationsAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, CancellationToken cancellationToken)
    {
        foreach (var notification in ticket.PendingNotifications)
        {
            // The domain raises the payload as a value; the document stored here is what every destination sends.
            var payload = notification.Payload.ToJson();
            foreach (var channel in notification.Channels)
            {
                // A change retried after a conflict raises the same ids again; the first one stored stays.
                await using var command = connection.Command(
                    transaction,
                    """
                    INSERT INTO ticket_notifications (id, channel, kind, ticket_number, payload, created_at)
                    VALUES ($id, $channel, $kind, $ticket, $payload, $created)
                    ON CONFLICT (id, channel) DO NOTHING
                    """,
                    ("$id", notification.Id),
                    ("$channel", channel),
                    ("$kind", notification.Kind.ToName()),
                    ("$ticket", notification.TicketNumber.ToString()),
                    ("$payload", payload),
                    ("$created", notification.CreatedAt.ToUnixTimeMilliseconds()));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The next number of the month a ticket opening at <paramref name="openedAt"/> opens in, taken inside the creating transaction.</summary>
    private async Task<TicketNumber> AllocateAsync(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset openedAt, CancellationToken cancellationToken)
    {
        var period = TicketNumber.PeriodOf(openedAt, timeZone);
        await using var command = connection.Command(
            transaction,
            """
            INSERT INTO ticket_sequences (unit, period, last) VALUES ($unit, $period, 1)
            ON CONFLICT (unit, period) DO UPDATE SET last = last + 1
            RETURNING last
            """,
            ("$unit", options.ServiceUnit),
            ("$period", period));
        var last = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return TicketNumber.InPeriod(options.ServiceUnit, period, last);
    }

    /// <summary>
    /// The asset's newest ticket for the fault, as its own fault or a related condition: the one not closed if there is
    /// one, else the last closed.
    /// </summary>
    private async Task<Ticket?> FindLatestAsync(SqliteConnection connection, SqliteTransaction transaction, AssetRef asset, FaultType fault, CancellationToken cancellationToken)
    {
        var found = await ListAsync(
            connection,
            """
            SELECT document FROM tickets
            WHERE asset_key = $asset
              AND (fault = $fault OR number IN (SELECT number FROM ticket_related WHERE asset_key = $asset AND fault = $fault))
            ORDER BY status <> 'closed' DESC, opened_at DESC, rowid DESC LIMIT 1
            """,
            [("$asset", asset.Key), ("$fault", fault.ToName())],
            cancellationToken,
            transaction).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The asset's ticket being worked that <paramref name="detected"/> is the same event as (<see cref="OneEvent"/>); null when none.</summary>
    private async Task<Ticket?> FindSameEventAsync(SqliteConnection connection, SqliteTransaction transaction, FaultDetected detected, CancellationToken cancellationToken)
    {
        var related = OneEvent.RelatedTo(detected.Fault);
        if (related.Count == 0)
        {
            return null;
        }

        var names = related.Select((f, i) => (Name: $"$fault{i}", Value: (object?)f.ToName())).ToList();
        var candidates = await ListAsync(
            connection,
            $"""
            SELECT document FROM tickets
            WHERE asset_key = $asset AND status IN ('open', 'acknowledged', 'on_site') AND fault IN ({string.Join(", ", names.Select(n => n.Name))})
            ORDER BY opened_at DESC, rowid DESC
            """,
            [("$asset", detected.Asset.Key), .. names],
            cancellationToken,
            transaction).ConfigureAwait(false);
        return candidates.FirstOrDefault(t => t.IsSameEvent(detected));
    }

    /// <summary>Lists the ticket's related conditions where <see cref="FindLatestAsync"/> looks for them.</summary>
    private static async Task WriteRelatedAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, TicketState? before, CancellationToken cancellationToken)
    {
        if (before is not null && before.Related.Select(r => r.Fault).SequenceEqual(ticket.Related.Select(r => r.Fault)))
        {
            return;
        }

        await using (var delete = connection.Command(transaction, "DELETE FROM ticket_related WHERE number = $number", ("$number", ticket.Number.ToString())))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var related in ticket.Related)
        {
            await using var insert = connection.Command(
                transaction,
                "INSERT INTO ticket_related (number, asset_key, fault) VALUES ($number, $asset, $fault) ON CONFLICT DO NOTHING",
                ("$number", ticket.Number.ToString()),
                ("$asset", ticket.Asset.Key),
                ("$fault", related.Fault.ToName()));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists the follow-up tasks the ticket still owes where <see cref="ListFollowUpsDueAsync"/> looks for them.</summary>
    private static async Task WriteFollowUpsAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, TicketState? before, CancellationToken cancellationToken)
    {
        var open = ticket.OpenFollowUps.ToList();
        if (before is not null && before.FollowUps.Where(f => f.IsOpen).SequenceEqual(open))
        {
            return;
        }

        await using (var delete = connection.Command(transaction, "DELETE FROM ticket_follow_ups WHERE number = $number", ("$number", ticket.Number.ToString())))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var followUp in open)
        {
            await using var insert = connection.Command(
                transaction,
                "INSERT INTO ticket_follow_ups (number, kind, due) VALUES ($number, $kind, $due) ON CONFLICT DO UPDATE SET due = excluded.due",
                ("$number", ticket.Number.ToString()),
                ("$kind", followUp.Kind.ToString()),
                ("$due", followUp.Due.ToUnixTimeMilliseconds()));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts the ticket's repair in the case library while it stands; a ticket sent back to the crew leaves it.</summary>
    private static async Task WriteCaseAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, TicketState? before, CancellationToken cancellationToken)
    {
        if (before is not null && Equals(before.Resolution, ticket.Resolution) && before.Fault == ticket.Fault)
        {
            return;
        }

        await using (var delete = connection.Command(transaction, "DELETE FROM ticket_cases WHERE number = $number", ("$number", ticket.Number.ToString())))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (ticket.Resolution is { } repair && ticket.ResolvedAt is { } resolvedAt)
        {
            await TicketStoreSchema.InsertCaseAsync(connection, transaction, ticket.Number.ToString(), ticket.Fault, ticket.Asset.Key, resolvedAt, repair, ticket.Summary, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Ticket?> FindAsync(SqliteConnection connection, TicketNumber number, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        var found = await ListAsync(
            connection,
            "SELECT document FROM tickets WHERE number = $number",
            [("$number", number.ToString())],
            cancellationToken,
            transaction).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <returns>The changed ticket, and the state it was changed from (null when the change changed nothing).</returns>
    private async Task<(Ticket Ticket, TicketState? Change)> LoadAndChangeAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        TicketNumber number,
        Action<Ticket> change,
        CancellationToken cancellationToken)
    {
        var ticket = await FindAsync(connection, number, cancellationToken, transaction).ConfigureAwait(false)
            ?? throw new TicketNotFoundException(number);
        var before = ticket.State;
        change(ticket);
        return (ticket, ReferenceEquals(before, ticket.State) ? null : before);
    }

    private async Task<IReadOnlyList<Ticket>> ListAsync(
        SqliteConnection connection,
        string sql,
        (string Name, object? Value)[] parameters,
        CancellationToken cancellationToken,
        SqliteTransaction? transaction = null)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tickets = new List<Ticket>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = JsonSerializer.Deserialize(reader.GetString(0), TicketStoreJson.Default.TicketState)
                ?? throw new InvalidDataException("a stored ticket is null");
            tickets.Add(Ticket.Restore(state, options));
        }

        return tickets;
    }

    private async Task<long> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, CancellationToken cancellationToken)
    {
        const long First = 1;
        await WriteAsync(connection, transaction, ticket, expectedVersion: null, cancellationToken).ConfigureAwait(false);
        await InsertNotificationsAsync(connection, transaction, ticket, cancellationToken).ConfigureAwait(false);
        return First;
    }

    /// <summary>Saves the change made to a ticket loaded under the write lock, where nobody can have saved in between.</summary>
    private async Task<long> SaveOrThrowAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, TicketState before, CancellationToken cancellationToken) =>
        await SaveAsync(connection, transaction, ticket, before, cancellationToken).ConfigureAwait(false)
            ?? throw new DBConcurrencyException($"Ticket {ticket.Number} changed while the write lock was held");

    /// <returns>The version saved; null when the stored ticket is no longer the version the change was made from.</returns>
    private async Task<long?> SaveAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, TicketState before, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(before, ticket.State))
        {
            return before.Version;
        }

        if (!await WriteAsync(connection, transaction, ticket, before.Version, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await WriteRelatedAsync(connection, transaction, ticket, before, cancellationToken).ConfigureAwait(false);
        await WriteFollowUpsAsync(connection, transaction, ticket, before, cancellationToken).ConfigureAwait(false);
        await WriteCaseAsync(connection, transaction, ticket, before, cancellationToken).ConfigureAwait(false);

        await InsertNotificationsAsync(connection, transaction, ticket, cancellationToken).ConfigureAwait(false);
        return before.Version + 1;
    }

    /// <summary>Inserts (no expected version) or updates the ticket over <paramref name="expectedVersion"/>, and moves it to the next version.</summary>
    private async Task<bool> WriteAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, long? expectedVersion, CancellationToken cancellationToken)
    {
        var version = (expectedVersion ?? 0) + 1;
        var document = JsonSerializer.Serialize(ticket.State with { Version = version }, TicketStoreJson.Default.TicketState);
        const string Insert = """
            INSERT INTO tickets (number, asset_key, site, fault, grade, status, crew, opened_at, closed_at, condition_active,
                                 watch_response, watch_arrival, watch_fix, version, document)
            VALUES ($number, $asset, $site, $fault, $grade, $status, $crew, $opened, $closed, $active,
                    $watchResponse, $watchArrival, $watchFix, $version, $document)
            """;
        const string Update = """
            UPDATE tickets SET fault = $fault, grade = $grade, status = $status, crew = $crew, closed_at = $closed, condition_active = $active,
                               watch_response = $watchResponse, watch_arrival = $watchArrival, watch_fix = $watchFix,
                               version = $version, document = $document
            WHERE number = $number AND version = $expected
            """;
        await using var command = connection.Command(
            transaction,
            expectedVersion is null ? Insert : Update,
            ("$number", ticket.Number.ToString()),
            ("$asset", ticket.Asset.Key),
            ("$site", ticket.Asset.Site),
            ("$fault", ticket.Fault.ToName()),
            ("$grade", (int)ticket.Grade),
            ("$status", ticket.Status.ToName()),
            ("$crew", ticket.Crew),
            ("$opened", ticket.OpenedAt.ToUnixTimeMilliseconds()),
            ("$closed", ticket.ClosedAt?.ToUnixTimeMilliseconds()),
            ("$active", ticket.AnyConditionActive ? 1 : 0),
            ("$watchResponse", Watch(ticket, DeadlineKind.Response)),
            ("$watchArrival", Watch(ticket, DeadlineKind.Arrival)),
            ("$watchFix", Watch(ticket, DeadlineKind.Fix)),
            ("$version", version),
            ("$expected", expectedVersion),
            ("$document", document));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        await SqliteTicketChangeFeed.AppendAsync(connection, transaction, ticket, version, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return true;
    }
}
