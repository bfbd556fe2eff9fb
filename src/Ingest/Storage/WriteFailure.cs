using System.Net;
using Telemetry.InfluxDb;

namespace Telemetry.Ingest.Storage;

/// <summary>What a failed write to InfluxDB asks of Ingest.</summary>
public enum WriteFailureKind
{
    /// <summary>InfluxDB unreachable, slow or failing (network, timeout, 5xx, 408, 429): retry with back-off; degraded meanwhile.</summary>
    Transient,

    /// <summary>
    /// Refused for a reason only an operator can fix (credentials, privileges, a database missing, a wrong address):
    /// retry with back-off and report unhealthy at once. Never the data's fault, so nothing is dead-lettered.
    /// </summary>
    NeedsOperator,

    /// <summary>400: points of the body are refused (field type conflict, unparsable line): find the guilty messages.</summary>
    RefusedData,

    /// <summary>413: the body is larger than the server takes: write it in smaller parts.</summary>
    TooLarge,
}

/// <summary>A failed write, classified, with the reason in words an operator can act on.</summary>
public readonly record struct WriteFailure(WriteFailureKind Kind, string Reason)
{
    /// <summary>
    /// Classifies the failure of a request to InfluxDB (a write, or the query that makes or finds the database).
    /// Only an answer that blames the points themselves (400) or their size (413) is about the data; anything that
    /// is not an answer at all (a network error, a bug in between) counts as transient, so that good readings are
    /// never dead-lettered for a fault of the path to the database.
    /// </summary>
    /// <param name="exception">What the request threw.</param>
    /// <param name="database">The database written to, to name it in the reason.</param>
    public static WriteFailure Of(Exception exception, string database)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not InfluxException { StatusCode: { } status } influx || influx.IsTransient)
        {
            return new(WriteFailureKind.Transient, exception.Message);
        }

        var said = influx.ServerMessage is { Length: > 0 } text ? text : status.ToString();
        return status switch
        {
            HttpStatusCode.BadRequest => new(WriteFailureKind.RefusedData, $"InfluxDB refused the points (400): {said}"),
            HttpStatusCode.RequestEntityTooLarge => new(WriteFailureKind.TooLarge, $"InfluxDB refused the write as too large (413): {said}"),
            HttpStatusCode.NotFound when influx is InfluxWriteException { IsDatabaseNotFound: true } => new(WriteFailureKind.NeedsOperator, $"InfluxDB: database '{database}' not found"),
            HttpStatusCode.NotFound => new(WriteFailureKind.NeedsOperator, $"InfluxDB answered 404 ({said}): check Influx:Url"),
            HttpStatusCode.Unauthorized => new(WriteFailureKind.NeedsOperator, $"InfluxDB refused the credentials (401): {said}"),
            HttpStatusCode.Forbidden => new(WriteFailureKind.NeedsOperator, $"InfluxDB refused the credentials (403): the user may not do this on database '{database}': {said}"),
            _ => new(WriteFailureKind.NeedsOperator, $"InfluxDB refused the request ({(int)status}): {said}"),
        };
    }

    /// <summary>Whether the same write is worth sending again, after a delay.</summary>
    public bool IsRetried => Kind is WriteFailureKind.Transient or WriteFailureKind.NeedsOperator;
}
