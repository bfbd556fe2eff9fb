using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Telemetry.InfluxDb.Http;

/// <summary>The outcome of a request after retries: the final answer, or the error of the last attempt.</summary>
internal sealed class Exchange(HttpResponseMessage? response, Exception? error, int attempts) : IDisposable
{
    public HttpResponseMessage? Response { get; } = response;

    public Exception? Error { get; } = error;

    public int Attempts { get; } = attempts;

    public void Dispose() => Response?.Dispose();
}

/// <summary>Builds authenticated requests to the 1.x HTTP API and sends them with timeouts and retries.</summary>
internal sealed partial class InfluxTransport
{
    private const int MaxErrorTextLength = 4096;

    private readonly HttpClient _http;
    private readonly InfluxClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue? _authorization;

    public InfluxTransport(HttpClient http, InfluxClientOptions options, ILogger logger, TimeProvider time)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _time = time;
        var address = options.BaseAddress.AbsoluteUri;
        _base = new Uri(address.EndsWith('/') ? address : address + "/");
        _authorization = options.Authentication switch
        {
            InfluxAuthentication.Token => new AuthenticationHeaderValue("Token", options.Password),
            InfluxAuthentication.Basic when !string.IsNullOrEmpty(options.Username) => new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"))),
            _ => null,
        };
    }

    public InfluxClientOptions Options => _options;

    /// <summary>An endpoint address with its query string (and the credentials, for query-string authentication).</summary>
    public Uri Endpoint(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder(_base.AbsoluteUri).Append(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        if (_options.Authentication == InfluxAuthentication.QueryString && !string.IsNullOrEmpty(_options.Username))
        {
            builder.Append(separator).Append("u=").Append(Uri.EscapeDataString(_options.Username))
                .Append("&p=").Append(Uri.EscapeDataString(_options.Password ?? string.Empty));
        }

        return new Uri(builder.ToString());
    }

    public HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.Authorization = _authorization;
        return request;
    }

    /// <summary>
    /// Sends a request built afresh for each attempt. Network errors, attempt timeouts, 5xx, 408 and 429 are
    /// retried with exponential backoff and jitter; any other answer is returned at once. The caller's
    /// cancellation is never swallowed.
    /// </summary>
    public async Task<Exchange> SendAsync(Func<HttpRequestMessage> createRequest, string operation, CancellationToken cancellationToken)
    {
        var maxAttempts = _options.MaxAttempts;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            Exception? error = null;
            using (var request = createRequest())
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    error = new TimeoutException($"InfluxDB did not answer the {operation} within {_options.RequestTimeout.TotalSeconds:0.###} s.", exception);
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException)
                {
                    error = exception;
                }
            }

            TimeSpan? retryAfter = null;
            string reason;
            if (response is not null)
            {
                if (!IsTransient(response.StatusCode) || attempt >= maxAttempts)
                {
                    return new Exchange(response, null, attempt);
                }

                retryAfter = RetryAfter(response);
                reason = $"{(int)response.StatusCode} {response.StatusCode}: {await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false)}";
                response.Dispose();
            }
            else
            {
                if (attempt >= maxAttempts)
                {
                    return new Exchange(null, error, attempt);
                }

                reason = error!.Message;
            }

            var delay = Backoff(attempt, retryAfter, Random.Shared.NextDouble());
            LogRetry(operation, attempt, maxAttempts, reason, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gzip-compresses a body into a pooled buffer.</summary>
    public static Writing.PooledByteBufferWriter Compress(ReadOnlySpan<byte> body)
    {
        var compressed = new Writing.PooledByteBufferWriter((body.Length / 4) + 64);
        try
        {
            using (var gzip = new GZipStream(new Writing.BufferWriterStream(compressed), CompressionLevel.Fastest, leaveOpen: false))
            {
                gzip.Write(body);
            }

            return compressed;
        }
        catch
        {
            compressed.Dispose();
            throw;
        }
    }

    /// <summary>Whether an answer with this status may succeed if the same request is sent again.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan Backoff(int retry, TimeSpan? retryAfter, double random)
    {
        var exponential = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, _options.MaxBackoff.TotalMilliseconds);
        var jittered = capped * (1 - (_options.BackoffJitter * random));
        if (retryAfter is { } wanted)
        {
            jittered = Math.Max(jittered, Math.Min(wanted.TotalMilliseconds, _options.MaxBackoff.TotalMilliseconds));
        }

        return TimeSpan.FromMilliseconds(jittered);
    }

    /// <summary>The server's error text: the <c>error</c> of its JSON body, else its <c>X-Influxdb-Error</c> header, else the body or the status.</summary>
    public static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await ReadTextAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidDataException)
        {
            body = string.Empty;
        }

        if (body.Length > 0 && body[0] == '{')
        {
            try
            {
                var parsed = JsonSerializer.Deserialize(body, InfluxJsonContext.Default.ErrorDto);
                if (!string.IsNullOrEmpty(parsed?.Error))
                {
                    return parsed.Error;
                }
            }
            catch (JsonException)
            {
                // not the JSON error shape: fall back to the header or the text
            }
        }

        if (response.Headers.TryGetValues("X-Influxdb-Error", out var header))
        {
            var text = string.Join("; ", header);
            if (text.Length > 0)
            {
                return text;
            }
        }

        body = body.Trim();
        if (body.Length > 0)
        {
            return body.Length > MaxErrorTextLength ? body[..MaxErrorTextLength] + "..." : body;
        }

        return response.ReasonPhrase ?? response.StatusCode.ToString();
    }

    /// <summary>The answer's body stream, un-gzipped if the handler did not do it.</summary>
    public static async Task<Stream> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return response.Content.Headers.ContentEncoding.Contains("gzip", StringComparer.OrdinalIgnoreCase)
            ? new GZipStream(stream, CompressionMode.Decompress)
            : stream;
    }

    private static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxErrorTextLength + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "InfluxDB {Operation}: attempt {Attempt} of {MaxAttempts} failed ({Reason}); retrying in {DelayMilliseconds} ms")]
    private partial void LogRetry(string operation, int attempt, int maxAttempts, string reason, long delayMilliseconds);
}
