using System.IO.Compression;
using System.Net;
using System.Text;

namespace Telemetry.InfluxDb.Tests.Http;

/// <summary>A request the stub received, with its body already read (and un-gzipped).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, IReadOnlyList<string> ContentEncoding, string? ContentType, byte[] RawBody, string Body);

/// <summary>Answers requests from a script of responses or exceptions, and records what it was sent.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    public StubHandler Answer(HttpStatusCode status, string? json = null, Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status);
            if (json is not null)
            {
                response.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    public StubHandler Fail(Exception exception)
    {
        _script.Enqueue(() => throw exception);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var raw = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var encoding = request.Content?.Headers.ContentEncoding.ToList() ?? [];
        var body = raw;
        if (encoding.Contains("gzip"))
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain, cancellationToken);
            body = plain.ToArray();
        }

        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), encoding,
            request.Content?.Headers.ContentType?.ToString(), raw, Encoding.UTF8.GetString(body)));
        if (_script.Count == 0)
        {
            throw new InvalidOperationException($"unexpected request {request.Method} {request.RequestUri}");
        }

        return _script.Dequeue()();
    }
}
