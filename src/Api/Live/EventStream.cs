using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Live;

/// <summary>
/// <c>GET /api/events</c>: server-sent events of status and ticket changes. Each event's id is the cursor
/// <c>{ticket seq}-{status seq}</c>: the ticket part from the durable change feed (shared by every process), the status
/// part from this process's ring. A client that reconnects with <c>Last-Event-ID</c> gets every change after it; when
/// the feed was pruned past it or the ring no longer holds it (or the Api restarted), it gets a <c>reset</c> event with a
/// full snapshot instead, as a client that connects without one does. A crew member gets only its crews' ticket events.
/// </summary>
public static partial class EventStream
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>How long a client waits before reconnecting, sent as the <c>retry:</c> hint.</summary>
    public static readonly TimeSpan Retry = TimeSpan.FromSeconds(3);

    /// <summary>More ticket changes missed than this and a snapshot is cheaper than the replay.</summary>
    public const int MaxReplay = 10_000;

    public static async Task RunAsync(
        HttpContext context,
        ClaimsPrincipal user,
        LiveEvents events,
        LivePlant plant,
        ITicketChangeFeed feed,
        TimeProvider clock,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        ArgumentNullException.ThrowIfNull(context);
        (long Ticket, long Status)? resume = null;
        if (context.Request.Headers["Last-Event-ID"] is { Count: > 0 } header)
        {
            if (ParseCursor(header.ToString()) is not { } parsed)
            {
                await TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    ["Last-Event-ID"] = ["must be an event id of this stream: {ticket seq}-{status seq}, such as 120-45"],
                })
                {
                    Title = "The Last-Event-ID is invalid",
                    Status = StatusCodes.Status400BadRequest,
                }).ExecuteAsync(context);
                return;
            }

            resume = parsed;
        }

        var options = new JsonSerializerOptions(json.Value.SerializerOptions) { WriteIndented = false };
        var crews = Policies.CrewScope(user);
        var cancellationToken = context.RequestAborted;
        var queue = events.Subscribe(out var now);
        try
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var output = new StringBuilder();
            output.Append(CultureInfo.InvariantCulture, $"retry: {(int)Retry.TotalMilliseconds}\n\n");

            var sent = resume is { } from ? await ReplayAsync(output, from, events, feed, crews, options, cancellationToken) : null;
            if (sent is null)
            {
                sent = now;
                Append(output, "reset", now, new { reason = resume is null ? "connected" : "missed changes are no longer kept", sites = plant.Sites(clock.GetUtcNow()) }, options);
            }

            var (ticket, status) = sent.Value;
            await FlushAsync(context, output, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var beat = new CancellationTokenSource(Heartbeat, clock);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, beat.Token);
                try
                {
                    if (!await queue.WaitToReadAsync(wait.Token))
                    {
                        // Let go for falling behind: the client reconnects with its last id.
                        return;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    output.Append(": heartbeat\n\n");
                    await FlushAsync(context, output, cancellationToken);
                    continue;
                }

                while (queue.TryRead(out var live))
                {
                    if (live.Ticket is { } change && change.Seq > ticket)
                    {
                        ticket = change.Seq;
                        if (Visible(change, crews))
                        {
                            Append(output, "ticket", (ticket, status), TicketEvent(change), options);
                        }
                    }
                    else if (live.Status is { } changed && changed.Seq > status)
                    {
                        status = changed.Seq;
                        Append(output, "status", (ticket, status), changed, options);
                    }
                }

                await FlushAsync(context, output, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            events.Unsubscribe(queue);
        }
    }

    /// <summary>Reads <c>{ticket seq}-{status seq}</c> as the stream writes it (no sign, no leading zero); null when it is not one.</summary>
    public static (long Ticket, long Status)? ParseCursor(string? id)
    {
        if (id is null || !CursorPattern().IsMatch(id))
        {
            return null;
        }

        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticket)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? (ticket, status)
            : null;
    }

    /// <summary>Writes what was missed after <paramref name="from"/>; returns the cursor reached, or null when not all of it is kept.</summary>
    private static async Task<(long Ticket, long Status)?> ReplayAsync(
        StringBuilder output,
        (long Ticket, long Status) from,
        LiveEvents events,
        ITicketChangeFeed feed,
        IReadOnlySet<string>? crews,
        JsonSerializerOptions options,
        CancellationToken cancellationToken)
    {
        var statuses = events.StatusAfter(from.Status);
        var (newest, oldest) = await feed.BoundsAsync(cancellationToken);
        var kept = from.Ticket == newest || (from.Ticket < newest && oldest > 0 && oldest <= from.Ticket + 1);
        if (statuses is null || !kept || newest - from.Ticket > MaxReplay)
        {
            return null;
        }

        var tickets = new List<TicketChange>();
        for (var after = from.Ticket; after < newest;)
        {
            var page = await feed.ReadAfterAsync(after, 1_000, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            tickets.AddRange(page);
            after = page[^1].Seq;
        }

        var (ticket, status) = from;
        foreach (var change in tickets)
        {
            ticket = change.Seq;
            if (Visible(change, crews))
            {
                Append(output, "ticket", (ticket, status), TicketEvent(change), options);
            }
        }

        foreach (var change in statuses)
        {
            status = change.Seq;
            Append(output, "status", (ticket, status), change, options);
        }

        return (ticket, status);
    }

    private static bool Visible(TicketChange change, IReadOnlySet<string>? crews) =>
        crews is null || (change.Crew is not null && crews.Contains(change.Crew));

    private static object TicketEvent(TicketChange change) => new
    {
        seq = change.Seq,
        number = change.Number.ToString(),
        version = change.Version,
        status = change.Status.ToName(),
        grade = (int)change.Grade,
        fault = change.Fault,
        asset = change.Asset.Key,
        crew = change.Crew,
        at = change.At,
    };

    private static void Append<T>(StringBuilder output, string type, (long Ticket, long Status) id, T data, JsonSerializerOptions options)
    {
        // One line of JSON (the options are not indented): a data field ends at the line's end.
        var text = JsonSerializer.Serialize(data, options);
        output.Append(CultureInfo.InvariantCulture, $"id: {id.Ticket}-{id.Status}\nevent: {type}\ndata: {text}\n\n");
    }

    private static async Task FlushAsync(HttpContext context, StringBuilder output, CancellationToken cancellationToken)
    {
        if (output.Length == 0)
        {
            return;
        }

        await context.Response.WriteAsync(output.ToString(), cancellationToken);
        output.Clear();
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    [GeneratedRegex("^(0|[1-9][0-9]{0,17})-(0|[1-9][0-9]{0,17})$", RegexOptions.CultureInvariant)]
    private static partial Regex CursorPattern();
}
