using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api.Reports;

/// <summary>The kinds of report the schedule stores.</summary>
public static class StoredReportKind
{
    /// <summary>The monthly statistics; the period is a month, <c>2026-11</c>.</summary>
    public const string Monthly = "monthly";

    /// <summary>The half-yearly fault analysis; the period is a half year, <c>2026-H2</c>.</summary>
    public const string FaultAnalysis = "fault_analysis";

    public static IReadOnlyList<string> All { get; } = [Monthly, FaultAnalysis];
}

/// <summary>A stored report without its content: what it is, of which period and scope, and when it was made.</summary>
/// <param name="Id">Its number in the archive.</param>
/// <param name="Kind"><c>monthly</c> or <c>fault_analysis</c>.</param>
/// <param name="Period"><c>2026-11</c> for a month, <c>2026-H2</c> for a half year.</param>
/// <param name="Scope"><c>unit</c>, <c>site:demo</c> or <c>crew:crew-masts</c>.</param>
/// <param name="GeneratedAt">When the schedule made it: its figures are frozen as of then.</param>
public sealed record StoredReportEntry(long Id, string Kind, string Period, string Scope, DateTimeOffset GeneratedAt);

/// <summary>A report as the schedule made it: its JSON as the live report serves it, and its Excel workbook.</summary>
public sealed record StoredReport(StoredReportEntry Entry, string Json, byte[] Workbook);

/// <summary>
/// The archive of scheduled reports, in the maintenance database beside the tickets. A kind, period and scope is stored
/// once: the unique key makes a second store of it, by a restarted or a second Api, a no-op.
/// </summary>
public sealed class StoredReports(SqliteDatabase database)
{
    public const int MaxLimit = 500;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS stored_reports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            period TEXT NOT NULL,
            scope TEXT NOT NULL,
            generated_at INTEGER NOT NULL,
            json TEXT NOT NULL,
            xlsx BLOB NOT NULL,
            UNIQUE (kind, period, scope)
        ) STRICT;
        """;

    private readonly ApiTables tables = new(database, Schema);

    /// <summary>Stores the report unless one of its kind, period and scope is stored already; true when this call stored it.</summary>
    public async Task<bool> AddAsync(string kind, string period, string scope, DateTimeOffset generatedAt, string json, byte[] workbook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        await using var connection = await tables.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO stored_reports (kind, period, scope, generated_at, json, xlsx)
            VALUES ($kind, $period, $scope, $generated, $json, $xlsx)
            ON CONFLICT (kind, period, scope) DO NOTHING;
            """;
        insert.Parameters.AddWithValue("$kind", kind);
        insert.Parameters.AddWithValue("$period", period);
        insert.Parameters.AddWithValue("$scope", scope);
        insert.Parameters.AddWithValue("$generated", generatedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$json", json);
        insert.Parameters.Add("$xlsx", SqliteType.Blob).Value = workbook;
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>The kind, period and scope of every report stored of <paramref name="kind"/>.</summary>
    public async Task<IReadOnlySet<(string Period, string Scope)>> StoredOfAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await tables.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT period, scope FROM stored_reports WHERE kind = $kind;";
        select.Parameters.AddWithValue("$kind", kind);
        var stored = new HashSet<(string, string)>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add((reader.GetString(0), reader.GetString(1)));
        }

        return stored;
    }

    /// <summary>
    /// The stored reports, newest period first, of <paramref name="kind"/> and <paramref name="scope"/> where given, and
    /// only of <paramref name="scopes"/> where that is given (a crew member's own crews).
    /// </summary>
    public async Task<IReadOnlyList<StoredReportEntry>> ListAsync(
        string? kind, string? scope, IReadOnlyCollection<string>? scopes, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await tables.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        var within = "";
        if (scopes is not null)
        {
            var names = scopes.Select((s, i) => (Name: $"$s{i}", Scope: s)).ToList();
            foreach (var (name, value) in names)
            {
                select.Parameters.AddWithValue(name, value);
            }

            within = names.Count == 0 ? " AND 0" : $" AND scope IN ({string.Join(", ", names.Select(n => n.Name))})";
        }

        select.CommandText = $"""
            SELECT id, kind, period, scope, generated_at FROM stored_reports
            WHERE ($kind IS NULL OR kind = $kind) AND ($scope IS NULL OR scope = $scope){within}
            ORDER BY period DESC, generated_at DESC, id DESC
            LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
        select.Parameters.AddWithValue("$scope", (object?)scope ?? DBNull.Value);
        select.Parameters.AddWithValue("$limit", limit);
        var entries = new List<StoredReportEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(EntryOf(reader));
        }

        return entries;
    }

    /// <summary>One stored report with its JSON and workbook; null when there is none of <paramref name="id"/>.</summary>
    public async Task<StoredReport?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await tables.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, kind, period, scope, generated_at, json, xlsx FROM stored_reports WHERE id = $id;";
        select.Parameters.AddWithValue("$id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredReport(EntryOf(reader), reader.GetString(5), (byte[])reader.GetValue(6))
            : null;
    }

    private static StoredReportEntry EntryOf(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
}
