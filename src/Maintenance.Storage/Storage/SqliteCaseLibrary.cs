using System.Text;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The case library in the ticket store's SQLite file: a full-text table (FTS5, trigram tokens) that the ticket store
/// writes in the same transaction as each repair. Three characters or more are matched anywhere in a word or a Chinese
/// sentence and ranked by relevance; shorter words (a two-character Chinese word) are looked for by substring.
/// </summary>
public sealed class SqliteCaseLibrary(SqliteDatabase database) : ICaseLibrary
{
    private readonly TicketStoreSchema.Connections connections = new(database);

    public const int MaxLimit = 200;

    /// <summary>The longest text searched for; a case's fields are short.</summary>
    public const int MaxTextLength = 200;

    public async Task<IReadOnlyList<RepairCase>> SearchAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var words = (query.Text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (string.Join(' ', words).Length > MaxTextLength)
        {
            throw new ArgumentException($"the search text is longer than {MaxTextLength} characters", nameof(query));
        }

        var sql = new StringBuilder("SELECT number, fault, asset_key, resolved_at, cause, action, parts, note, summary FROM ticket_cases WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        var whole = words.Where(w => w.Length >= 3).ToList();
        if (whole.Count > 0)
        {
            // Each word a quoted string: FTS5 syntax in what a user typed is taken as text.
            sql.Append(" AND ticket_cases MATCH $match");
            parameters.Add(("$match", string.Join(" AND ", whole.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
        }

        foreach (var (word, i) in words.Where(w => w.Length < 3).Select((w, i) => (w, i)))
        {
            var name = $"$like{i}";
            sql.Append($" AND (cause LIKE {name} ESCAPE '\\' OR action LIKE {name} ESCAPE '\\' OR parts LIKE {name} ESCAPE '\\' OR note LIKE {name} ESCAPE '\\' OR summary LIKE {name} ESCAPE '\\')");
            parameters.Add((name, "%" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"));
        }

        if (query.Fault is { } fault)
        {
            sql.Append(" AND fault = $fault");
            parameters.Add(("$fault", fault));
        }

        sql.Append(whole.Count > 0 ? " ORDER BY rank, resolved_at DESC" : " ORDER BY resolved_at DESC");
        sql.Append(" LIMIT $limit");
        parameters.Add(("$limit", limit));

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql.ToString();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var cases = new List<RepairCase>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var note = reader.GetString(7);
            cases.Add(new RepairCase(
                TicketNumber.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6).Split('\n', StringSplitOptions.RemoveEmptyEntries),
                note.Length == 0 ? null : note,
                reader.GetString(8)));
        }

        return cases;
    }
}
