using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>
/// What every ticket action goes through, in order: the body read within <see cref="TicketActionEndpoints.MaxBody"/>
/// (413), the ticket number, <c>If-Match</c>, <c>Idempotency-Key</c> and body fields checked (400 naming each), the key
/// claimed (a retry gets the first answer, another request with the key 422, a retry while the first is in progress
/// 409), then the step taken on the ticket as loaded: a crew member only on its own crews' tickets (403), only over the
/// version <c>If-Match</c> names (412), and a step the ticket refuses is 409 naming its state and the action.
/// </summary>
public static class TicketActionPipeline
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Takes the step <paramref name="action"/> on ticket <paramref name="number"/>.</summary>
    public static async Task<IResult> ActAsync(HttpContext http, string number, string action, bool emptyBody, Func<ActionBody, TicketChange?> read)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(read);
        if (await ReadBodyAsync(http) is not { } body)
        {
            return TooLarge(http);
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!TicketNumber.TryParse(number, out var parsed))
        {
            problems["number"] = [$"'{Clip(number)}' is not a ticket number such as YW2611-0007"];
        }

        var expected = ReadIfMatch(http, problems);
        var key = ReadIdempotencyKey(http, problems);
        var fields = ActionBody.Parse(body, emptyBody);
        var change = fields.Problems.ContainsKey("body") ? null : read(fields);
        fields.RefuseUnknownFields();
        foreach (var (field, problem) in fields.Problems)
        {
            problems[field] = problem;
        }

        if (problems.Count > 0 || change is null)
        {
            return Invalid(problems);
        }

        return await OnceAsync(http, key, body, () => ChangeAsync(http, parsed, action, expected, change));
    }

    /// <summary>Opens a ticket by hand from the body <paramref name="read"/> reads.</summary>
    public static async Task<IResult> OpenAsync(HttpContext http, Func<ActionBody, Func<ActionBy, ManualTicket>?> read)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(read);
        if (await ReadBodyAsync(http) is not { } body)
        {
            return TooLarge(http);
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var key = ReadIdempotencyKey(http, problems);
        var fields = ActionBody.Parse(body, emptyAllowed: false);
        var request = fields.Problems.ContainsKey("body") ? null : read(fields);
        fields.RefuseUnknownFields();
        foreach (var (field, problem) in fields.Problems)
        {
            problems[field] = problem;
        }

        if (problems.Count > 0 || request is null)
        {
            return Invalid(problems);
        }

        return await OnceAsync(http, key, body, async () =>
        {
            var result = await http.RequestServices.GetRequiredService<TicketActions>().OpenAsync(http.User, request, http.RequestAborted);
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            return result.Ticket is { } ticket
                ? ActionAnswer.Ticket(http, StatusCodes.Status201Created, TicketView.From(ticket, clock.GetUtcNow()), $"/api/tickets/{ticket.Number}")
                : Refused(http, result.Refusal!);
        });
    }

    private static async Task<ActionAnswer> ChangeAsync(HttpContext http, TicketNumber number, string action, long? expected, TicketChange change)
    {
        var result = await http.RequestServices.GetRequiredService<TicketActions>().ChangeAsync(http.User, number, action, expected, change, http.RequestAborted);
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        return result.Ticket is { } ticket
            ? ActionAnswer.Ticket(http, StatusCodes.Status200OK, TicketView.From(ticket, clock.GetUtcNow()))
            : Refused(http, result.Refusal!, action);
    }

    private static ActionAnswer Refused(HttpContext http, TicketRefusal refusal, string? action = null) => refusal.Kind switch
    {
        TicketRefusalKind.NotYourCrew => ActionAnswer.Problem(http, StatusCodes.Status403Forbidden, refusal.Title, refusal.Detail),
        TicketRefusalKind.Stale => ActionAnswer.Problem(http, StatusCodes.Status412PreconditionFailed, refusal.Title, refusal.Detail,
            new Dictionary<string, object?> { ["version"] = refusal.Version }, refusal.Version),
        TicketRefusalKind.NotFound => ActionAnswer.Problem(http, StatusCodes.Status404NotFound, refusal.Title, refusal.Detail),
        TicketRefusalKind.InvalidStep => ActionAnswer.Problem(http, StatusCodes.Status409Conflict, refusal.Title, refusal.Detail,
            new Dictionary<string, object?> { ["state"] = refusal.State, ["action"] = action }),
        TicketRefusalKind.NewerOpen => ActionAnswer.Problem(http, StatusCodes.Status409Conflict, refusal.Title, refusal.Detail,
            new Dictionary<string, object?> { ["action"] = action }),
        TicketRefusalKind.AlreadyOpen => ActionAnswer.Problem(http, StatusCodes.Status409Conflict, refusal.Title, refusal.Detail,
            new Dictionary<string, object?> { ["existing"] = refusal.Existing }),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "an unknown refusal"),
    };

    /// <summary>Acts once per idempotency key: the first request acts and its answer is kept; a retry gets it again.</summary>
    private static async Task<IResult> OnceAsync(HttpContext http, string? key, byte[] body, Func<Task<ActionAnswer>> act)
    {
        if (key is null)
        {
            return await act();
        }

        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var user = http.User.Identity!.Name!;
        var (outcome, stored) = await store.BeginAsync(user, key, http.Request.Method, http.Request.Path.Value ?? "", IdempotencyStore.HashOf(body), http.RequestAborted);
        switch (outcome)
        {
            case IdempotencyOutcome.Answered:
                return new ActionAnswer(stored!, replayed: true);
            case IdempotencyOutcome.Mismatch:
                return ActionAnswer.Problem(http, StatusCodes.Status422UnprocessableEntity, "Idempotency key used for another request",
                    "This Idempotency-Key was sent with another method, path or body; use a new key for a new request");
            case IdempotencyOutcome.InProgress:
                return ActionAnswer.Problem(http, StatusCodes.Status409Conflict, "Request in progress",
                    "The first request with this Idempotency-Key is still being acted on; retry shortly");
        }

        ActionAnswer answer;
        try
        {
            answer = await act();
        }
        catch
        {
            // Nothing was answered: the key is free for the retry to act.
            await store.ReleaseAsync(user, key, CancellationToken.None);
            throw;
        }

        await store.CompleteAsync(user, key, answer.Stored, CancellationToken.None);
        return answer;
    }

    /// <summary>The body, or null when it is over the limit (the server refuses larger ones as they arrive; this is the same limit in-process).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > TicketActionEndpoints.MaxBody)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = TicketActionEndpoints.MaxBody;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > TicketActionEndpoints.MaxBody)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    /// <summary>The version <c>If-Match</c> names (<c>"7"</c>), null when absent or <c>*</c>.</summary>
    private static long? ReadIfMatch(HttpContext http, Dictionary<string, string[]> problems)
    {
        var values = http.Request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        if (value == "*")
        {
            return null;
        }

        if (value is { Length: > 2 and <= 22 } && value[0] == '"' && value[^1] == '"'
            && long.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return version;
        }

        problems["If-Match"] = ["must be one ticket ETag, such as \"3\", as GET /api/tickets/{number} gives it"];
        return null;
    }

    private static string? ReadIdempotencyKey(HttpContext http, Dictionary<string, string[]> problems)
    {
        var values = http.Request.Headers[IdempotencyKeyHeader];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1 && IdempotencyStore.IsValidKey(values[0]))
        {
            return values[0];
        }

        problems[IdempotencyKeyHeader] = [$"must be one key of 1 to {IdempotencyStore.MaxKeyLength} printable ASCII characters"];
        return null;
    }

    private static IResult Invalid(Dictionary<string, string[]> problems) =>
        TypedResults.ValidationProblem(problems, title: "The ticket action is invalid");

    private static IResult TooLarge(HttpContext http) =>
        TypedResults.Problem(title: "Request body too large",
            detail: string.Create(CultureInfo.InvariantCulture, $"A ticket action's body is at most {TicketActionEndpoints.MaxBody / 1024} KiB"),
            statusCode: StatusCodes.Status413PayloadTooLarge, instance: http.Request.Path);

    private static string Clip(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "...";
}
