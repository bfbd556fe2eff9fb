using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.InfluxDb.Http;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Querying;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.InfluxDb;

/// <summary>
/// A client of the InfluxDB 1.x HTTP API (<c>/write</c>, <c>/query</c>, <c>/ping</c>), which InfluxDB 2.x and 3.x
/// also serve for compatibility. Thread-safe; keep one per server.
/// </summary>
/// <remarks>
/// Writes use <c>precision=ms</c>. A write is retried on network errors, attempt timeouts, 5xx, 408 and 429
/// (retrying is safe: a point written twice with the same series and timestamp overwrites itself);
/// any other refusal is thrown at once as <see cref="InfluxWriteException"/>.
/// </remarks>
/// <example>
/// <code>
/// using var client = new InfluxClient(new InfluxClientOptions { BaseAddress = new("http://localhost:8086/"), Database = "plant" });
/// await client.CreateDatabaseAsync("plant", cancellationToken);
/// await client.WriteAsync([new Point("weather").Tag("station", "n1").Field("temperature", 21.5).Timestamp(DateTimeOffset.UtcNow)], cancellationToken);
/// var result = await client.QueryAsync("SELECT last(temperature) FROM weather", null, cancellationToken);
/// double last = result.Series[0].GetDouble(0, "last");
/// </code>
/// </example>
public sealed partial class InfluxClient : IDisposable
{
    private static readonly MediaTypeHeaderValue LineProtocolType = new("text/plain") { CharSet = "utf-8" };

    private readonly InfluxTransport _transport;
    private readonly HttpClient _http;
    private readonly HttpClient? _ownedHttpClient;
    private readonly ILogger _logger;

    /// <summary>Creates a client over an <see cref="HttpClient"/> that the caller owns (e.g. from IHttpClientFactory).</summary>
    /// <param name="httpClient">The HTTP client; its base address is not used (see <see cref="InfluxClientOptions.BaseAddress"/>).</param>
    /// <param name="options">The settings.</param>
    /// <param name="logger">Where retries are logged; none by default.</param>
    /// <param name="timeProvider">The clock for backoff delays; the system clock by default.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public InfluxClient(HttpClient httpClient, InfluxClientOptions options, ILogger<InfluxClient>? logger = null, TimeProvider? timeProvider = null)
        : this(httpClient, owned: false, options, logger, timeProvider)
    {
    }

    /// <summary>Creates a client with its own HTTP connection pool, disposed with the client.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="logger">Where retries are logged; none by default.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public InfluxClient(InfluxClientOptions options, ILogger<InfluxClient>? logger = null)
        : this(CreateHttpClient(), owned: true, options, logger, null)
    {
    }

    private InfluxClient(HttpClient httpClient, bool owned, InfluxClientOptions options, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (owned)
        {
            _ownedHttpClient = httpClient;
        }

        try
        {
            options.Validate();
        }
        catch
        {
            _ownedHttpClient?.Dispose();
            throw;
        }

        _http = httpClient;
        _logger = logger ?? NullLogger.Instance;
        _transport = new InfluxTransport(httpClient, options, _logger, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The settings.</summary>
    public InfluxClientOptions Options => _transport.Options;

    /// <summary>Writes a body of line protocol (millisecond timestamps) to the configured database and retention policy.</summary>
    /// <param name="lineProtocol">The body: lines separated by <c>\n</c>, e.g. <see cref="LineProtocolBatch.Body"/>.
    /// It is only read, and not kept after the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the write, including its retries.</param>
    /// <returns>A task that completes when the server has stored the points.</returns>
    /// <exception cref="InfluxWriteException">The server refused the write, or it failed on every attempt.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken cancellationToken = default)
    {
        if (lineProtocol.IsEmpty)
        {
            return;
        }

        var options = _transport.Options;
        var uri = _transport.Endpoint("write", ("db", options.Database), ("rp", options.RetentionPolicy), ("precision", "ms"));
        PooledByteBufferWriter? compressed = null;
        try
        {
            var payload = lineProtocol;
            if (options.Gzip)
            {
                compressed = InfluxTransport.Compress(lineProtocol.Span);
                payload = compressed.WrittenMemory;
            }

            var started = Stopwatch.GetTimestamp();
            using var exchange = await _transport.SendAsync(
                () =>
                {
                    var content = new ReadOnlyMemoryContent(payload);
                    content.Headers.ContentType = LineProtocolType;
                    if (options.Gzip)
                    {
                        content.Headers.ContentEncoding.Add("gzip");
                    }

                    return _transport.Request(HttpMethod.Post, uri, content);
                },
                "write",
                cancellationToken).ConfigureAwait(false);

            if (exchange.Response is { IsSuccessStatusCode: true })
            {
                LogWritten(lineProtocol.Length, exchange.Attempts, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }

            throw await WriteFailureAsync(exchange, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            compressed?.Dispose();
        }
    }

    /// <summary>Encodes points and writes them in one request (use <see cref="PointBatchBuilder"/> for large or continuous streams).</summary>
    /// <param name="points">The points.</param>
    /// <param name="cancellationToken">Cancels the write, including its retries.</param>
    /// <returns>A task that completes when the server has stored the points.</returns>
    /// <exception cref="InfluxValueException">A point cannot be encoded; nothing was sent.</exception>
    /// <exception cref="InfluxWriteException">The server refused the write, or it failed on every attempt.</exception>
    public async Task WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return;
        }

        using var buffer = new PooledByteBufferWriter(Math.Min(points.Count * 128, 1 << 20));
        for (var i = 0; i < points.Count; i++)
        {
            LineProtocolEncoder.Write(buffer, points[i]);
        }

        await WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs InfluxQL (one or more statements separated by <c>;</c>) with times as epoch milliseconds.</summary>
    /// <param name="influxQl">The query. Quote names and values with <see cref="InfluxQl"/>.</param>
    /// <param name="database">The database; null for the configured one, empty for none (e.g. SHOW DATABASES).</param>
    /// <param name="cancellationToken">Cancels the query, including its retries.</param>
    /// <returns>The results, one per statement.</returns>
    /// <exception cref="InfluxQueryException">The server refused the query, a statement failed, or it failed on every attempt.</exception>
    public async Task<InfluxQueryResult> QueryAsync(string influxQl, string? database, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(influxQl);
        var uri = _transport.Endpoint("query", ("epoch", "ms"));
        var form = new List<KeyValuePair<string, string>>(2) { new("q", influxQl) };
        var db = database ?? _transport.Options.Database;
        if (db.Length > 0)
        {
            form.Add(new("db", db));
        }

        using var exchange = await _transport.SendAsync(
            () => _transport.Request(HttpMethod.Post, uri, new FormUrlEncodedContent(form)),
            "query",
            cancellationToken).ConfigureAwait(false);

        var response = exchange.Response;
        if (response is null)
        {
            throw new InfluxQueryException(
                $"InfluxDB query failed after {exchange.Attempts} attempt(s): {exchange.Error?.Message}",
                null, null, isTransient: true, exchange.Attempts, innerException: exchange.Error);
        }

        if (!response.IsSuccessStatusCode)
        {
            var message = await InfluxTransport.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new InfluxQueryException(
                $"InfluxDB refused the query ({(int)response.StatusCode} {response.StatusCode}): {message}",
                response.StatusCode, message, InfluxTransport.IsTransient(response.StatusCode), exchange.Attempts);
        }

        QueryResponseDto? body;
        try
        {
            using var stream = await InfluxTransport.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            body = await JsonSerializer.DeserializeAsync(stream, InfluxJsonContext.Default.QueryResponseDto, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw new InfluxQueryException($"InfluxDB answered the query with JSON this client cannot read: {exception.Message}",
                response.StatusCode, null, isTransient: false, exchange.Attempts, innerException: exception);
        }

        return ToResult(body, response.StatusCode, exchange.Attempts);
    }

    /// <summary>Creates a database if it does not exist yet (<c>CREATE DATABASE</c> is idempotent).</summary>
    /// <param name="name">The database name (any text; it is quoted).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the database exists.</returns>
    /// <exception cref="InfluxQueryException">The server refused (e.g. not authorized).</exception>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await QueryAsync($"CREATE DATABASE {InfluxQl.QuoteIdentifier(name)}", string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that the server answers <c>/ping</c> (one attempt, no retry).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The server's version and the round-trip time.</returns>
    /// <exception cref="InfluxException">The server did not answer in time, or answered with an error.</exception>
    public async Task<InfluxPingResult> PingAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_transport.Options.RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = _transport.Request(HttpMethod.Get, _transport.Endpoint("ping"), null);
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started);
            if (!response.IsSuccessStatusCode)
            {
                var message = await InfluxTransport.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                throw new InfluxException($"InfluxDB ping answered {(int)response.StatusCode} {response.StatusCode}: {message}",
                    response.StatusCode, message, InfluxTransport.IsTransient(response.StatusCode), 1);
            }

            return new InfluxPingResult(Header(response, "X-Influxdb-Version"), Header(response, "X-Influxdb-Build"), latency);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InfluxException($"InfluxDB did not answer the ping within {_transport.Options.RequestTimeout.TotalSeconds:0.###} s.",
                null, null, isTransient: true, 1, exception);
        }
        catch (HttpRequestException exception)
        {
            throw new InfluxException($"InfluxDB ping failed: {exception.Message}", null, null, isTransient: true, 1, exception);
        }
    }

    /// <summary>Disposes the HTTP client if this client created it.</summary>
    public void Dispose() => _ownedHttpClient?.Dispose();

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static InfluxQueryResult ToResult(QueryResponseDto? body, HttpStatusCode status, int attempts)
    {
        if (body is null)
        {
            throw new InfluxQueryException("InfluxDB answered the query with an empty body.", status, null, isTransient: false, attempts);
        }

        if (!string.IsNullOrEmpty(body.Error))
        {
            throw new InfluxQueryException($"InfluxDB query failed: {body.Error}", status, body.Error, isTransient: false, attempts);
        }

        var statements = new List<InfluxStatementResult>(body.Results?.Count ?? 0);
        foreach (var statement in body.Results ?? [])
        {
            if (!string.IsNullOrEmpty(statement.Error))
            {
                throw new InfluxQueryException($"InfluxDB query statement {statement.StatementId} failed: {statement.Error}",
                    status, statement.Error, isTransient: false, attempts, statement.StatementId);
            }

            var series = new List<InfluxSeries>(statement.Series?.Count ?? 0);
            foreach (var item in statement.Series ?? [])
            {
                series.Add(new InfluxSeries(item.Name ?? string.Empty, item.Tags, item.Columns ?? [], Rows(item.Values), item.Partial));
            }

            var messages = statement.Messages?.ConvertAll(m => new InfluxQueryMessage(m.Level ?? string.Empty, m.Text ?? string.Empty)) ?? [];
            statements.Add(new InfluxStatementResult(statement.StatementId, series, messages, statement.Partial));
        }

        return new InfluxQueryResult(statements);
    }

    private static JsonElement[][] Rows(JsonElement values)
    {
        if (values.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var rows = new JsonElement[values.GetArrayLength()][];
        var index = 0;
        foreach (var row in values.EnumerateArray())
        {
            var cells = new JsonElement[row.GetArrayLength()];
            var column = 0;
            foreach (var cell in row.EnumerateArray())
            {
                cells[column++] = cell;
            }

            rows[index++] = cells;
        }

        return rows;
    }

    private async Task<InfluxWriteException> WriteFailureAsync(Exchange exchange, CancellationToken cancellationToken)
    {
        var response = exchange.Response;
        if (response is null)
        {
            return new InfluxWriteException(
                $"InfluxDB write failed after {exchange.Attempts} attempt(s): {exchange.Error?.Message}",
                null, null, isTransient: true, exchange.Attempts, exchange.Error);
        }

        var message = await InfluxTransport.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var transient = InfluxTransport.IsTransient(response.StatusCode);
        var what = transient ? $"failed after {exchange.Attempts} attempt(s)" : "was refused";
        return new InfluxWriteException(
            $"InfluxDB write to database \"{_transport.Options.Database}\" {what} ({(int)response.StatusCode} {response.StatusCode}): {message}",
            response.StatusCode, message, transient, exchange.Attempts);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "InfluxDB write of {Bytes} bytes stored after {Attempts} attempt(s) in {ElapsedMilliseconds} ms")]
    private partial void LogWritten(int bytes, int attempts, long elapsedMilliseconds);
}
