using System.Text.Json;

namespace Telemetry.InfluxDb.Querying;

/// <summary>
/// One series of a statement result: a name, the tags it was grouped by, column names, and rows of values.
/// Values are <see cref="JsonElement"/>s; the typed accessors read them, and <see cref="GetTimestamp(int, int)"/>
/// reads the <c>time</c> column (epoch milliseconds, as <see cref="InfluxClient"/> asks for).
/// </summary>
public sealed class InfluxSeries
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(0);
    private readonly JsonElement[][] _rows;

    internal InfluxSeries(string name, IReadOnlyDictionary<string, string>? tags, IReadOnlyList<string> columns, JsonElement[][] rows, bool isPartial)
    {
        Name = name;
        Tags = tags ?? NoTags;
        Columns = columns;
        _rows = rows;
        IsPartial = isPartial;
    }

    /// <summary>The series name (the measurement, or e.g. <c>databases</c> for SHOW DATABASES).</summary>
    public string Name { get; }

    /// <summary>The tags of the series when the query groups by tags; otherwise empty.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>The column names; the first is usually <c>time</c>.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows; each has one value per column.</summary>
    public IReadOnlyList<IReadOnlyList<JsonElement>> Values => _rows;

    /// <summary>The number of rows.</summary>
    public int RowCount => _rows.Length;

    /// <summary>Whether the server cut this series short.</summary>
    public bool IsPartial { get; }

    /// <summary>The index of a column.</summary>
    /// <param name="column">The column name (exact).</param>
    /// <returns>The index.</returns>
    /// <exception cref="KeyNotFoundException">There is no such column.</exception>
    public int GetOrdinal(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"Series \"{Name}\" has no column \"{column}\" (columns: {string.Join(", ", Columns)}).");
    }

    /// <summary>The raw value of a cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value.</returns>
    public JsonElement GetValue(int row, int column) => _rows[row][column];

    /// <summary>The raw value of a cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The value.</returns>
    public JsonElement GetValue(int row, string column) => _rows[row][GetOrdinal(column)];

    /// <summary>Whether a cell is null (no value for that column in that row).</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <returns>True for null.</returns>
    public bool IsNull(int row, int column) => _rows[row][column].ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>Whether a cell is null.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>True for null.</returns>
    public bool IsNull(int row, string column) => IsNull(row, GetOrdinal(column));

    /// <summary>A numeric cell as a double.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The cell is null or not a number.</exception>
    public double GetDouble(int row, int column) => Cell(row, column, JsonValueKind.Number).GetDouble();

    /// <summary>A numeric cell as a double.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The value.</returns>
    public double GetDouble(int row, string column) => GetDouble(row, GetOrdinal(column));

    /// <summary>An integer cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The cell is null, not a number, or not an integer.</exception>
    public long GetInt64(int row, int column)
    {
        var cell = Cell(row, column, JsonValueKind.Number);
        return cell.TryGetInt64(out var value)
            ? value
            : throw new InvalidOperationException($"Series \"{Name}\", row {row}, column \"{Columns[column]}\": {cell.GetRawText()} is not a 64-bit integer.");
    }

    /// <summary>An integer cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The value.</returns>
    public long GetInt64(int row, string column) => GetInt64(row, GetOrdinal(column));

    /// <summary>A string cell (string fields, tag values, names).</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The cell is null or not a string.</exception>
    public string GetString(int row, int column) => Cell(row, column, JsonValueKind.String).GetString()!;

    /// <summary>A string cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The value.</returns>
    public string GetString(int row, string column) => GetString(row, GetOrdinal(column));

    /// <summary>A Boolean cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The cell is null or not a Boolean.</exception>
    public bool GetBoolean(int row, int column)
    {
        var cell = _rows[row][column];
        return cell.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Mismatch(row, column, cell, "a Boolean"),
        };
    }

    /// <summary>A Boolean cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(int row, string column) => GetBoolean(row, GetOrdinal(column));

    /// <summary>A time cell: epoch milliseconds (as queried with <c>epoch=ms</c>) or RFC 3339 text.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index (0, the <c>time</c> column, by default).</param>
    /// <returns>The time, in UTC.</returns>
    /// <exception cref="InvalidOperationException">The cell is not a time.</exception>
    public DateTimeOffset GetTimestamp(int row, int column = 0)
    {
        var cell = _rows[row][column];
        if (cell.ValueKind == JsonValueKind.Number && cell.TryGetInt64(out var milliseconds))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }

        if (cell.ValueKind == JsonValueKind.String && cell.TryGetDateTimeOffset(out var time))
        {
            return time.ToUniversalTime();
        }

        throw Mismatch(row, column, cell, "a time");
    }

    /// <summary>A time cell.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The time, in UTC.</returns>
    public DateTimeOffset GetTimestamp(int row, string column) => GetTimestamp(row, GetOrdinal(column));

    private JsonElement Cell(int row, int column, JsonValueKind kind)
    {
        var cell = _rows[row][column];
        return cell.ValueKind == kind ? cell : throw Mismatch(row, column, cell, kind == JsonValueKind.Number ? "a number" : "a string");
    }

    private InvalidOperationException Mismatch(int row, int column, JsonElement cell, string wanted) =>
        new($"Series \"{Name}\", row {row}, column \"{Columns[column]}\": {cell.ValueKind} {cell.GetRawText()} is not {wanted}.");
}
