namespace Telemetry.InfluxDb.Querying;

/// <summary>The answer to an InfluxQL query: one result per statement, in order.</summary>
public sealed class InfluxQueryResult
{
    internal InfluxQueryResult(IReadOnlyList<InfluxStatementResult> statements) => Statements = statements;

    /// <summary>The statements' results, in the order of the statements in the query.</summary>
    public IReadOnlyList<InfluxStatementResult> Statements { get; }

    /// <summary>The series of the first statement (the usual case of a single-statement query).</summary>
    public IReadOnlyList<InfluxSeries> Series => Statements.Count > 0 ? Statements[0].Series : [];
}

/// <summary>The result of one statement of a query.</summary>
public sealed class InfluxStatementResult
{
    internal InfluxStatementResult(int statementId, IReadOnlyList<InfluxSeries> series, IReadOnlyList<InfluxQueryMessage> messages, bool isPartial)
    {
        StatementId = statementId;
        Series = series;
        Messages = messages;
        IsPartial = isPartial;
    }

    /// <summary>The index of the statement in the query.</summary>
    public int StatementId { get; }

    /// <summary>The series returned (empty when nothing matched).</summary>
    public IReadOnlyList<InfluxSeries> Series { get; }

    /// <summary>Informational messages or warnings the server attached to the statement.</summary>
    public IReadOnlyList<InfluxQueryMessage> Messages { get; }

    /// <summary>Whether the server cut the result short (for example at its <c>max-row-limit</c>).</summary>
    public bool IsPartial { get; }
}

/// <summary>A message the server attached to a statement result.</summary>
/// <param name="Level">The level, e.g. <c>warning</c>.</param>
/// <param name="Text">The text.</param>
public sealed record InfluxQueryMessage(string Level, string Text);
