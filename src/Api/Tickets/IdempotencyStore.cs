using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api.Tickets;

/// <summary>An answer as it was sent, kept to be sent again to a retry with the same idempotency key.</summary>
public sealed record StoredAnswer(int Status, string ContentType, byte[] Body, string? ETag, string? Location);

/// <summary>What <see cref="IdempotencyStore.BeginAsync"/> found for a key.</summary>
public enum IdempotencyOutcome
{
    /// <summary>The key is new (or expired, or its request was abandoned): act, then <see cref="IdempotencyStore.CompleteAsync"/>.</summary>
    Started,

    /// <summary>The same request was answered already: send the stored answer again, without acting.</summary>
    Answered,

    /// <summary>The key was used for another request (another method, path or body).</summary>
    Mismatch,

    /// <summary>The first request with the key is still being acted on.</summary>
    InProgress,
}

/// <summary>
/// Idempotency keys of POST actions, per user, in the maintenance database beside the tickets: a crew's phone that
/// retries on a bad link gets the first answer again instead of acting twice. A key is kept with the request's method,
/// path and body hash, and its answer, for <see cref="Lifetime"/>.
/// </summary>
public sealed class IdempotencyStore
{
    /// <summary>How long a key and its answer are kept.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// A request in progress longer than this was abandoned (its process stopped mid-action); the key is free again, so
    /// that a phone's retry is not refused for a day. An action takes milliseconds.
    /// </summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    /// <summary>The longest key: opaque printable ASCII.</summary>
    public const int MaxKeyLength = 128;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_idempotency (
            user_name TEXT NOT NULL,
            key TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            body_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            -- Null while the first request is being acted on.
            status INTEGER,
            content_type TEXT,
            body BLOB,
            etag TEXT,
            location TEXT,
            PRIMARY KEY (user_name, key)
        ) STRICT;
        CREATE INDEX IF NOT EXISTS api_idempotency_by_age ON api_idempotency (created_at);
        """;

    private readonly ApiTables tables;
    private readonly TimeProvider clock;

    public IdempotencyStore(SqliteDatabase database, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(clock);
        tables = new ApiTables(database, Schema);
        this.clock = clock;
    }

    /// <summary>Whether <paramref name="key"/> can be an idempotency key: 1 to 128 printable ASCII characters.</summary>
    public static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');

    /// <summary>The hash a request's body is kept as.</summary>
    public static string HashOf(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>
    /// Claims <paramref name="key"/> for this request, or finds what became of the first request with it; the answer
    /// is set when the outcome is <see cref="IdempotencyOutcome.Answered"/>.
    /// </summary>
    public async Task<(IdempotencyOutcome Outcome, StoredAnswer? Answer)> BeginAsync(
        string user, string key, string method, string path, string bodyHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await using (var expire = connection.CreateCommand())
        {
            expire.Transaction = transaction;
            expire.CommandText = """
                DELETE FROM api_idempotency
                WHERE created_at < $expired OR (user_name = $user AND key = $key AND status IS NULL AND created_at < $abandoned);
                """;
            expire.Parameters.AddWithValue("$expired", (now - Lifetime).ToUnixTimeMilliseconds());
            expire.Parameters.AddWithValue("$abandoned", (now - Abandoned).ToUnixTimeMilliseconds());
            expire.Parameters.AddWithValue("$user", user);
            expire.Parameters.AddWithValue("$key", key);
            await expire.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO api_idempotency (user_name, key, method, path, body_hash, created_at)
            VALUES ($user, $key, $method, $path, $hash, $now)
            ON CONFLICT (user_name, key) DO NOTHING;
            """;
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$method", method);
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$hash", bodyHash);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (IdempotencyOutcome.Started, null);
        }

        command.CommandText = """
            SELECT method, path, body_hash, status, content_type, body, etag, location
            FROM api_idempotency WHERE user_name = $user AND key = $key;
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"idempotency key of {user} neither inserted nor found");
        }

        if (reader.GetString(0) != method || reader.GetString(1) != path || reader.GetString(2) != bodyHash)
        {
            return (IdempotencyOutcome.Mismatch, null);
        }

        if (reader.IsDBNull(3))
        {
            return (IdempotencyOutcome.InProgress, null);
        }

        return (IdempotencyOutcome.Answered, new StoredAnswer(
            reader.GetInt32(3),
            reader.GetString(4),
            (byte[])reader.GetValue(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7)));
    }

    /// <summary>Keeps the answer to the request that claimed <paramref name="key"/>.</summary>
    public async Task CompleteAsync(string user, string key, StoredAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE api_idempotency SET status = $status, content_type = $type, body = $body, etag = $etag, location = $location
            WHERE user_name = $user AND key = $key;
            """;
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$status", answer.Status);
        command.Parameters.AddWithValue("$type", answer.ContentType);
        command.Parameters.AddWithValue("$body", answer.Body);
        command.Parameters.AddWithValue("$etag", (object?)answer.ETag ?? DBNull.Value);
        command.Parameters.AddWithValue("$location", (object?)answer.Location ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Frees a key whose request failed unexpectedly, so that a retry acts.</summary>
    public async Task ReleaseAsync(string user, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM api_idempotency WHERE user_name = $user AND key = $key AND status IS NULL;";
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => tables.OpenAsync(cancellationToken);
}
