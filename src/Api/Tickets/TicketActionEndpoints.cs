using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>Who takes an action, from which client, and when.</summary>
public sealed record ActionBy(string Actor, string Client, DateTimeOffset At);

/// <summary>
/// The ticket lifecycle over HTTP: open by hand, acknowledge, arrive, resolve, close, reopen, reassign, regrade,
/// survey, return visit, comment, all POST under <c>/api/tickets</c>. Every action goes through <see cref="TicketActionPipeline"/>:
/// body limit, field checks, crew scope, <c>If-Match</c> against the ticket's version, idempotency key, and a 409
/// naming the state and the action for a move the ticket refuses.
/// </summary>
public static class TicketActionEndpoints
{
    /// <summary>The largest action body: a resolution with every note full is under 16 KiB.</summary>
    public const long MaxBody = 16 * 1024;

    /// <summary>The stand-in gateway of a ticket opened from a phone report that names a site and a place, not an asset.</summary>
    public const string ReportedGateway = "reported";

    public static IServiceCollection AddTicketActions(this IServiceCollection services, ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<TicketActions>();
        services.AddSingleton<FollowUpBoard>();
        services.AddSingleton<SimilarCases>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(Policies.ActionLimit, context => RateLimitPartition.GetFixedWindowLimiter(
            PartitionOf(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.ActionsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        return services;
    }

    /// <summary>Actions are limited per signed-in user (only signed-in users reach them), so that one phone stuck in a loop slows only itself.</summary>
    public static string PartitionOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity?.Name ?? "";
    }

    public static IEndpointRouteBuilder MapTicketActions(this IEndpointRouteBuilder endpoints)
    {
        var tickets = endpoints.MapGroup("/api/tickets").WithTags("Ticket actions")
            .RequireRateLimiting(Policies.ActionLimit)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        tickets.MapPost("/", (Delegate)((HttpContext http) => TicketActionPipeline.OpenAsync(http, ReadOpening)))
            .RequireAuthorization(Policies.DispatchTickets).Accepts<OpenTicketBody>("application/json").Produces<TicketView>(StatusCodes.Status201Created)
            .WithName("OpenTicket")
            .WithSummary("Opens a ticket by hand (operators): for an asset, or for a site and a place from a phone report.");
        Action(tickets, "acknowledge", Policies.WorkTickets, emptyBody: true, _ => (t, by) => t.Acknowledge(by.Actor, by.At, by.Client), null,
            "A crew takes the ticket (the response); operators may on a crew's behalf.");
        Action(tickets, "arrive", Policies.WorkTickets, emptyBody: true, _ => (t, by) => t.ArriveOnSite(by.Actor, by.At, by.Client), null,
            "The crew is at the asset (the arrival).");
        Action(tickets, "resolve", Policies.WorkTickets, emptyBody: false, ReadResolution, typeof(ResolveBody),
            "The fault is repaired: cause, action taken, parts used, hardware or software, a note.");
        Action(tickets, "close", Policies.DispatchTickets, emptyBody: false, ReadClosing, typeof(CloseBody),
            "The repair is verified with the customer (operators), with a note of the verification.");
        Action(tickets, "reopen", Policies.DispatchTickets, emptyBody: false, ReadReopening, typeof(ReasonBody),
            "Reopens a closed ticket within the repeat-repair window after its closing (operators), with a reason.");
        Action(tickets, "reassign", Policies.DispatchTickets, emptyBody: false, ReadReassignment, typeof(ReassignBody),
            "Hands the ticket to a crew, in a zone if given (operators).");
        Action(tickets, "regrade", Policies.RegradeTickets, emptyBody: false, ReadRegrade, typeof(RegradeBody),
            "Changes the grade with a reason (operators, engineers); the deadlines are counted again from the opening.");
        Action(tickets, "survey", Policies.DispatchTickets, emptyBody: false, ReadSurvey, typeof(SurveyBody),
            "Records the customer's satisfaction survey after the closing (operators): satisfaction 1 to 5 and what they said.");
        Action(tickets, "return-visit", Policies.WorkTickets, emptyBody: false, ReadReturnVisit, typeof(ReturnVisitBody),
            "Records the return visit owed after a grade 1 or 2 repair, with what was found; reopen the ticket if the repair did not hold.");
        Action(tickets, "comment", Policies.CommentOnTickets, emptyBody: false, ReadComment, typeof(CommentBody),
            "Adds a note to the history; a crew member on its own crews' tickets only.");
        return endpoints;
    }

    private static void Action(
        RouteGroupBuilder tickets, string name, string policy, bool emptyBody, Func<ActionBody, TicketChange?> read, Type? body, string summary)
    {
        var endpoint = tickets.MapPost("/{number}/" + name, (HttpContext http, string number) => TicketActionPipeline.ActAsync(http, number, name, emptyBody, read))
            .RequireAuthorization(policy)
            .Produces<TicketView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName(string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(name[0])}{name[1..]}Ticket"))
            .WithSummary(summary);
        if (body is not null)
        {
            endpoint.Accepts(body, "application/json");
        }
    }

    private static TicketChange? ReadResolution(ActionBody body)
    {
        var cause = body.Text("cause", required: true, ActionBody.MaxShortText);
        var action = body.Text("action", required: true, ActionBody.MaxShortText);
        var parts = body.TextList("parts_used", ActionBody.MaxParts, 100);
        var kind = body.Choice("kind", required: true, "hardware", "software");
        var note = body.Text("note", required: false, ActionBody.MaxText);
        if (cause is null || action is null || kind is null)
        {
            return null;
        }

        var resolution = new Resolution(cause, action, parts, kind == "hardware" ? RepairKind.Hardware : RepairKind.Software, note);
        return (t, by) => t.Resolve(resolution, by.Actor, by.At, by.Client);
    }

    private static TicketChange? ReadClosing(ActionBody body) =>
        body.Text("note", required: true, ActionBody.MaxText) is { } note ? (t, by) => t.Close(by.Actor, by.At, note, by.Client) : null;

    private static TicketChange? ReadReopening(ActionBody body) =>
        body.Text("reason", required: true, ActionBody.MaxReason) is { } reason ? (t, by) => t.Reopen(reason, by.Actor, by.At, by.Client) : null;

    private static TicketChange? ReadReassignment(ActionBody body)
    {
        var crew = body.Identifier("crew", required: true);
        var zone = body.Zone("zone", required: false);
        return crew is null ? null : (t, by) => t.Reassign(crew, zone, by.Actor, by.At, by.Client);
    }

    private static TicketChange? ReadRegrade(ActionBody body)
    {
        var grade = body.Grade("grade", required: true);
        var reason = body.Text("reason", required: true, ActionBody.MaxReason);
        return grade is { } g && reason is not null ? (t, by) => t.Regrade(g, reason, by.At, by.Actor, by.Client) : null;
    }

    private static TicketChange? ReadSurvey(ActionBody body)
    {
        var satisfaction = body.Whole("satisfaction", required: true, FollowUp.LowestSatisfaction, FollowUp.HighestSatisfaction);
        var comment = body.Text("comment", required: false, ActionBody.MaxText);
        return satisfaction is { } score && body.Problems.Count == 0 ? (t, by) => t.RecordSurvey(score, comment, by.Actor, by.At, by.Client) : null;
    }

    private static TicketChange? ReadReturnVisit(ActionBody body) =>
        body.Text("outcome", required: true, ActionBody.MaxText) is { } outcome ? (t, by) => t.RecordReturnVisit(outcome, by.Actor, by.At, by.Client) : null;

    private static TicketChange? ReadComment(ActionBody body) =>
        body.Text("text", required: true, ActionBody.MaxText) is { } text ? (t, by) => t.Comment(text, by.Actor, by.At, by.Client) : null;

    /// <summary>An opening: an asset key, or a site and a place (a phone report); the description, fault, grade, crew and zone.</summary>
    private static Func<ActionBy, ManualTicket>? ReadOpening(ActionBody body)
    {
        var asset = body.Asset("asset", required: false);
        var site = body.Identifier("site", required: false);
        var location = body.Text("location", required: false, ActionBody.MaxShortText);
        var description = body.Text("description", required: true, ActionBody.MaxText);
        var fault = body.Fault("fault", required: true);
        var grade = body.Grade("grade", required: true);
        var crew = body.Identifier("crew", required: false);
        var zone = body.Zone("zone", required: false) ?? Devices.Sites.CrewZone.Inner;
        if (body.Has("asset") && (body.Has("site") || body.Has("location")))
        {
            body.Refuse("asset", "give the asset, or the site and location of a phone report, not both");
        }
        else if (!body.Has("asset") && !(body.Has("site") && body.Has("location")))
        {
            body.Refuse(body.Has("site") ? "location" : body.Has("location") ? "site" : "asset", "give the asset, or the site and location of a phone report");
        }

        if (body.Problems.Count > 0 || description is null || fault is null || grade is not { } g)
        {
            return null;
        }

        var where = asset ?? new AssetRef(site!, ReportedGateway);
        var summary = location is null ? description : $"{location}: {description}";
        return by => new ManualTicket(where, fault, g, summary, crew, zone, by.Actor, by.Client);
    }
}

/// <summary>A lifecycle step to take on a ticket, by someone.</summary>
public delegate void TicketChange(Ticket ticket, ActionBy by);

/// <summary>The body of <c>POST /api/tickets</c> (for the API's description; the body is checked field by field).</summary>
/// <param name="Asset">The asset key, <c>site/gateway[/device[/circuit]]</c>; or else <paramref name="Site"/> and <paramref name="Location"/>.</param>
/// <param name="Site">The site of a phone report that names no asset.</param>
/// <param name="Location">Where the caller saw the fault, as told.</param>
/// <param name="Description">What is wrong, as told.</param>
/// <param name="Fault">The fault type's name.</param>
/// <param name="Grade">1 to 4.</param>
/// <param name="Crew">The crew to send; none for the supervisor to assign.</param>
/// <param name="Zone">The crew's zone: inner (default), second, third, town, contract.</param>
public sealed record OpenTicketBody(string? Asset, string? Site, string? Location, string Description, string Fault, int Grade, string? Crew, string? Zone);

/// <summary>The body of <c>resolve</c>.</summary>
public sealed record ResolveBody(string Cause, string Action, IReadOnlyList<string>? PartsUsed, string Kind, string? Note);

/// <summary>The body of <c>close</c>: the note of the verification with the customer.</summary>
public sealed record CloseBody(string Note);

/// <summary>The body of <c>reopen</c>.</summary>
public sealed record ReasonBody(string Reason);

/// <summary>The body of <c>reassign</c>.</summary>
public sealed record ReassignBody(string Crew, string? Zone);

/// <summary>The body of <c>regrade</c>.</summary>
public sealed record RegradeBody(int Grade, string Reason);

/// <summary>The body of <c>comment</c>.</summary>
public sealed record CommentBody(string Text);

/// <summary>The body of <c>survey</c>: the customer's satisfaction, 1 (very dissatisfied) to 5 (very satisfied), and what they said.</summary>
public sealed record SurveyBody(int Satisfaction, string? Comment);

/// <summary>The body of <c>return-visit</c>: what the visit found.</summary>
public sealed record ReturnVisitBody(string Outcome);
