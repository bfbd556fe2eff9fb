using System.Globalization;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The ticket change feed on the shared maintenance database. <see cref="SqliteTicketRepository"/> appends a change in
/// the transaction of every insert and save; every writer takes the write lock first (BEGIN IMMEDIATE), so sequences
/// are committed in the order they are given and a reader never sees a later one before an earlier one.
/// </summary>
public sealed class SqliteTicketChangeFeed(SqliteDatabase database) : ITicketChangeFeed
{
    private readonly TicketStoreSchema.Connections connections = new(database);

    public async Task<IReadOnlyList<TicketChange>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            null,
            """
            SELECT seq, ticket_number, version, status, grade, fault, asset_key, crew, changed_at
            FROM ticket_changes WHERE seq > $after ORDER BY seq LIMIT $limit
            """,
            ("$after", afterSeq),
            ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<TicketChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!TicketStatuses.TryParse(reader.GetString(3), out var status) || AssetRef.TryParse(reader.GetString(6)) is not { } asset)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"ticket change {reader.GetInt64(0)} is unreadable"));
            }

            changes.Add(new TicketChange(
                reader.GetInt64(0),
                TicketNumber.Parse(reader.GetString(1)),
                reader.GetInt64(2),
                status,
                (FaultGrade)reader.GetInt32(4),
                reader.GetString(5),
                asset,
                reader.IsDBNull(7) ? null : reader.GetString(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }

        return changes;
    }

    public async Task<(long Newest, long Oldest)> BoundsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);

        // The newest given is in sqlite_sequence even when pruning emptied the table.
        await using var command = connection.Command(
            null,
            """
            SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'ticket_changes'), 0),
                   COALESCE((SELECT MIN(seq) FROM ticket_changes), 0)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<int> PruneAsync(DateTimeOffset before, int keep, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await using var command = connection.Command(
            transaction,
            """
            DELETE FROM ticket_changes
            WHERE changed_at < $before OR seq <= (SELECT MAX(seq) FROM ticket_changes) - $keep
            """,
            ("$before", before.ToUnixTimeMilliseconds()),
            ("$keep", keep));
        var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>Appends the change that saving <paramref name="ticket"/> as <paramref name="version"/> makes, inside the saving transaction.</summary>
    internal static async Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, long version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            transaction,
            """
            INSERT INTO ticket_changes (ticket_number, version, status, grade, fault, asset_key, crew, changed_at)
            VALUES ($number, $version, $status, $grade, $fault, $asset, $crew, $at)
            """,
            ("$number", ticket.Number.ToString()),
            ("$version", version),
            ("$status", ticket.Status.ToName()),
            ("$grade", (int)ticket.Grade),
            ("$fault", ticket.Fault.ToName()),
            ("$asset", ticket.Asset.Key),
            ("$crew", ticket.Crew),
            ("$at", at.ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
