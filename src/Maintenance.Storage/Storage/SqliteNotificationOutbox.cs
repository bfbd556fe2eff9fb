using System.Globalization;
using Microsoft.Data.Sqlite;
using Telemetry.Contracts;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The crew-notification outbox on the shared maintenance database, filled by <see cref="SqliteTicketRepository"/>
/// in the transactions that change tickets. Delivery progress is kept per notification, channel and destination.
/// </summary>
public sealed class SqliteNotificationOutbox : INotificationOutbox
{
    private readonly TicketStoreSchema.Connections connections;

    public SqliteNotificationOutbox(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        connections = new TicketStoreSchema.Connections(database);
    }

    public async Task<IReadOnlyList<PendingNotification>> ListDueAsync(string destination, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        CheckDestination(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            null,
            """
            SELECT n.id, n.kind, n.channel, n.ticket_number, n.payload, coalesce(d.attempts, 0), n.created_at
            FROM ticket_notifications n
            LEFT JOIN notification_deliveries d ON d.notification_seq = n.seq AND d.destination = $destination
            WHERE d.delivered_at IS NULL AND (d.retry_at IS NULL OR d.retry_at <= $now)
            ORDER BY n.seq
            LIMIT $max
            """,
            ("$destination", destination),
            ("$now", now.ToUnixTimeMilliseconds()),
            ("$max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var due = new List<PendingNotification>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var kind = reader.GetString(1);
            due.Add(new PendingNotification(
                reader.GetString(0),
                NotificationKinds.TryParse(kind, out var parsed) ? parsed : throw new InvalidDataException($"a stored notification has the unknown kind '{kind}'"),
                reader.GetString(2),
                TicketNumber.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
                reader.GetString(4),
                reader.GetInt32(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }

        return due;
    }

    public Task MarkDeliveredAsync(string notificationId, string channel, string destination, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordAsync(
            notificationId,
            channel,
            destination,
            """
            INSERT INTO notification_deliveries (notification_seq, destination, delivered_at, attempts)
            SELECT seq, $destination, $at, 0 FROM ticket_notifications WHERE id = $id AND channel = $channel
            ON CONFLICT (notification_seq, destination) DO UPDATE
                SET delivered_at = coalesce(delivered_at, excluded.delivered_at), retry_at = NULL
            """,
            [("$at", at.ToUnixTimeMilliseconds())],
            cancellationToken);

    public Task MarkFailedAsync(string notificationId, string channel, string destination, string error, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);

        // A late failure report for a delivery already recorded must not make it due again.
        return RecordAsync(
            notificationId,
            channel,
            destination,
            """
            INSERT INTO notification_deliveries (notification_seq, destination, delivered_at, attempts, last_error, retry_at)
            SELECT seq, $destination, NULL, 1, $error, $retry FROM ticket_notifications WHERE id = $id AND channel = $channel
            ON CONFLICT (notification_seq, destination) DO UPDATE
                SET attempts = attempts + 1, last_error = excluded.last_error, retry_at = excluded.retry_at
                WHERE delivered_at IS NULL
            """,
            [("$error", error), ("$retry", retryAt.ToUnixTimeMilliseconds())],
            cancellationToken);
    }

    private static void CheckDestination(string destination)
    {
        if (!Identifiers.IsValid(destination))
        {
            throw new ArgumentException($"'{destination}' is not a destination name: {Identifiers.Rule}", nameof(destination));
        }
    }

    private async Task RecordAsync(
        string notificationId,
        string channel,
        string destination,
        string sql,
        (string Name, object? Value)[] parameters,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(notificationId);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        CheckDestination(destination);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await using var exists = connection.Command(
            transaction,
            "SELECT count(*) FROM ticket_notifications WHERE id = $id AND channel = $channel",
            ("$id", notificationId),
            ("$channel", channel));
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            throw new KeyNotFoundException($"There is no notification '{notificationId}' to channel '{channel}'");
        }

        await using var command = connection.Command(transaction, sql, [("$id", notificationId), ("$channel", channel), ("$destination", destination), .. parameters]);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
