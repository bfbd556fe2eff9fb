using System.Net;
using System.Net.Sockets;
using Telemetry.InfluxDb;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class WriteFailureTests
{
    public static TheoryData<string, int?, string?, WriteFailureKind, string> Answers => new()
    {
        // What InfluxDB 1.x answers, and what Ingest makes of it.
        { "no answer (connection refused)", null, null, WriteFailureKind.Transient, "connection refused" },
        { "internal error", 500, "engine: cache-max-memory-size exceeded", WriteFailureKind.Transient, "cache-max-memory-size" },
        { "unavailable", 503, "service unavailable", WriteFailureKind.Transient, "503" },
        { "request timeout", 408, "timeout", WriteFailureKind.Transient, "408" },
        { "too many requests", 429, "slow down", WriteFailureKind.Transient, "429" },
        { "database dropped", 404, "database not found: \"telemetry\"", WriteFailureKind.NeedsOperator, "InfluxDB: database 'telemetry' not found" },
        { "wrong address", 404, "404 page not found", WriteFailureKind.NeedsOperator, "check Influx:Url" },
        { "wrong password", 401, "authorization failed", WriteFailureKind.NeedsOperator, "InfluxDB refused the credentials (401)" },
        { "no write privilege", 403, "\"ingest\" user is not authorized to write to database \"telemetry\"", WriteFailureKind.NeedsOperator, "InfluxDB refused the credentials (403)" },
        { "method not allowed", 405, "Method Not Allowed", WriteFailureKind.NeedsOperator, "(405)" },
        { "field type conflict", 400, "partial write: field type conflict: input field \"lamps_lit\" on measurement \"high_mast\" is type float, already exists as type integer dropped=1", WriteFailureKind.RefusedData, "field type conflict" },
        { "unparsable line", 400, "unable to parse 'high_mast,device=x lamps_lit=': missing field value", WriteFailureKind.RefusedData, "unable to parse" },
        { "beyond the retention policy", 400, "partial write: points beyond retention policy dropped=3", WriteFailureKind.RefusedData, "beyond retention policy" },
        { "body too large", 413, "Request Entity Too Large", WriteFailureKind.TooLarge, "(413)" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void A_write_failure_is_retried_split_or_blamed_on_the_points_by_what_InfluxDB_answered(string what, int? status, string? serverMessage, WriteFailureKind kind, string reason)
    {
        var code = (HttpStatusCode?)status;
        var transient = code is null || (int)code >= 500 || code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        var message = code is null ? "InfluxDB write failed after 1 attempt(s): connection refused" : $"InfluxDB write to database \"telemetry\" was refused ({status}): {serverMessage}";
        var failure = WriteFailure.Of(new InfluxWriteException(message, code, serverMessage, transient, 1), "telemetry");

        Assert.True(kind == failure.Kind, $"{what}: {failure}");
        Assert.Contains(reason, failure.Reason, StringComparison.Ordinal);
        Assert.Equal(kind is WriteFailureKind.Transient or WriteFailureKind.NeedsOperator, failure.IsRetried);
    }

    [Fact]
    public void A_failure_that_is_no_answer_from_InfluxDB_is_transient_so_that_no_good_reading_is_dead_lettered_for_it()
    {
        Assert.Equal(WriteFailureKind.Transient, WriteFailure.Of(new HttpRequestException("reset", new SocketException()), "telemetry").Kind);
        Assert.Equal(WriteFailureKind.Transient, WriteFailure.Of(new TimeoutException("no answer within 30 s"), "telemetry").Kind);
        Assert.Equal(WriteFailureKind.Transient, WriteFailure.Of(new InvalidOperationException("a bug in between"), "telemetry").Kind);
    }

    [Fact]
    public void A_query_refused_for_its_credentials_needs_the_operator()
    {
        var refused = new InfluxQueryException("InfluxDB refused the query (403 Forbidden)", HttpStatusCode.Forbidden, "requires admin privilege", isTransient: false, 1);

        var failure = WriteFailure.Of(refused, "telemetry");

        Assert.Equal(WriteFailureKind.NeedsOperator, failure.Kind);
        Assert.Contains("requires admin privilege", failure.Reason, StringComparison.Ordinal);
    }
}
