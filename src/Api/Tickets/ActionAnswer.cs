using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Telemetry.Api.Tickets;

/// <summary>
/// The answer to a ticket action, made into bytes before it is sent, so that the very same answer can be kept for an
/// idempotency key and sent again to a retry.
/// </summary>
public sealed class ActionAnswer(StoredAnswer answer, bool replayed) : IResult, IStatusCodeHttpResult
{
    /// <summary>Set on an answer sent again to a retry with the same idempotency key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public StoredAnswer Stored => answer;

    public int? StatusCode => answer.Status;

    /// <summary>A ticket as it is after the action, with its version as the ETag.</summary>
    public static ActionAnswer Ticket(HttpContext http, int status, TicketView ticket, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var body = JsonSerializer.SerializeToUtf8Bytes(ticket, Options(http));
        return new(new StoredAnswer(status, "application/json; charset=utf-8", body, ETagOf(ticket.Version), location), replayed: false);
    }

    /// <summary>A problem; <paramref name="version"/> gives the ticket's current ETag (a stale <c>If-Match</c>).</summary>
    public static ActionAnswer Problem(HttpContext http, int status, string title, string detail, IDictionary<string, object?>? extensions = null, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(problem, Options(http));
        return new(new StoredAnswer(status, "application/problem+json; charset=utf-8", body, version is { } v ? ETagOf(v) : null, null), replayed: false);
    }

    /// <summary>The ETag of a ticket version: the version, quoted.</summary>
    public static string ETagOf(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        if (answer.ETag is { } etag)
        {
            response.Headers.ETag = etag;
        }

        if (answer.Location is { } location)
        {
            response.Headers.Location = location;
        }

        if (replayed)
        {
            response.Headers[ReplayedHeader] = "true";
        }

        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, httpContext.RequestAborted);
    }

    private static JsonSerializerOptions Options(HttpContext http) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}
