using System.Net;

namespace Telemetry.InfluxDb;

/// <summary>
/// A request to InfluxDB failed: the server refused it, or it could not be completed after all attempts.
/// The base of <see cref="InfluxWriteException"/> and <see cref="InfluxQueryException"/>.
/// </summary>
public class InfluxException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The description.</param>
    /// <param name="statusCode">The HTTP status of the last answer, if the server answered.</param>
    /// <param name="serverMessage">The server's error text, if any.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="innerException">The network or timeout error of the last attempt, if any.</param>
    public InfluxException(string message, HttpStatusCode? statusCode, string? serverMessage, bool isTransient, int attempts, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        IsTransient = isTransient;
        Attempts = attempts;
    }

    /// <summary>The HTTP status of the last answer, or null if the server did not answer (network error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's error text (the <c>error</c> of its JSON answer), if any.</summary>
    public string? ServerMessage { get; }

    /// <summary>Whether the failure is temporary (network, timeout, 5xx, 429): the same request may succeed later.
    /// False when the server refused the request itself (4xx): retrying it unchanged will fail again.</summary>
    public bool IsTransient { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }
}

/// <summary>A write was refused by InfluxDB, or could not be delivered after all attempts.</summary>
public sealed class InfluxWriteException : InfluxException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The description.</param>
    /// <param name="statusCode">The HTTP status of the last answer, if the server answered.</param>
    /// <param name="serverMessage">The server's error text, if any.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="innerException">The network or timeout error of the last attempt, if any.</param>
    public InfluxWriteException(string message, HttpStatusCode? statusCode, string? serverMessage, bool isTransient, int attempts, Exception? innerException = null)
        : base(message, statusCode, serverMessage, isTransient, attempts, innerException)
    {
        if (serverMessage is not null && statusCode == HttpStatusCode.BadRequest && serverMessage.StartsWith("partial write", StringComparison.Ordinal))
        {
            IsPartialWrite = true;
            DroppedPoints = ParseDropped(serverMessage);
        }

        IsDatabaseNotFound = statusCode == HttpStatusCode.NotFound && serverMessage is not null
            && serverMessage.StartsWith("database not found", StringComparison.Ordinal);
    }

    /// <summary>Whether the server stored some points of the body and refused others
    /// (<c>partial write: ... dropped=N</c>): the body must not be sent again as is.</summary>
    public bool IsPartialWrite { get; }

    /// <summary>For a partial write, the number of points the server dropped, when it says so.</summary>
    public int? DroppedPoints { get; }

    /// <summary>Whether the database does not exist (404 <c>database not found</c>).</summary>
    public bool IsDatabaseNotFound { get; }

    private static int? ParseDropped(string message)
    {
        const string Marker = "dropped=";
        var at = message.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var digits = message.AsSpan(at + Marker.Length);
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return int.TryParse(digits[..length], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var dropped)
            ? dropped
            : null;
    }
}

/// <summary>A query was refused, or one of its statements failed, or it could not be completed after all attempts.</summary>
public sealed class InfluxQueryException : InfluxException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The description.</param>
    /// <param name="statusCode">The HTTP status of the last answer, if the server answered.</param>
    /// <param name="serverMessage">The server's error text, if any.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="statementId">The failed statement, if the error belongs to one statement.</param>
    /// <param name="innerException">The network or timeout error of the last attempt, if any.</param>
    public InfluxQueryException(string message, HttpStatusCode? statusCode, string? serverMessage, bool isTransient, int attempts, int? statementId = null, Exception? innerException = null)
        : base(message, statusCode, serverMessage, isTransient, attempts, innerException)
    {
        StatementId = statementId;
    }

    /// <summary>The index of the failed statement in the query, when the error belongs to one statement.</summary>
    public int? StatementId { get; }
}
