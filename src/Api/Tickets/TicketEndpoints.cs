using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary><c>/api/tickets</c>: the tickets the rules opened, for operators and crews.</summary>
public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder endpoints)
    {
        var tickets = endpoints.MapGroup("/api/tickets").WithTags("Tickets").RequireAuthorization(Policies.ReadTickets);
        tickets.MapGet("/", ListAsync)
            .WithName("ListTickets")
            .WithSummary("Tickets, newest first, filtered by status, site, crew, grade, fault, asset and opening time.");
        tickets.MapGet("/{number}", GetAsync)
            .AddEndpointFilter(async (context, next) =>
            {
                // The version an action's If-Match names.
                var result = await next(context);
                if (result is Results<Ok<TicketView>, ProblemHttpResult> { Result: Ok<TicketView> { Value: { } ticket } })
                {
                    context.HttpContext.Response.Headers.ETag = ActionAnswer.ETagOf(ticket.Version);
                }

                return result;
            })
            .WithName("GetTicket")
            .WithSummary("One ticket with its deadlines, escalations and history.");
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/tickets</c>, public so that it can be run through ASP.NET Core's binding with any query string.</summary>
    public static async Task<Results<Ok<TicketPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        ITicketRepository repository,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? status = null,
        [FromQuery] string? site = null,
        [FromQuery] string? crew = null,
        [FromQuery] int? grade = null,
        [FromQuery] string? fault = null,
        [FromQuery] string? asset = null,
        [FromQuery] bool open = false,
        [FromQuery] DateTimeOffset? from = null,
        [FromQuery] DateTimeOffset? to = null,
        [FromQuery] int limit = 100,
        [FromQuery] int offset = 0)
    {
        var parsed = TicketQueryParser.Parse(new TicketListParameters(status, site, crew, grade, fault, asset, open, from, to, limit, offset));
        if (parsed.Query is not { } query)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(parsed.Problems)
            {
                Title = "The ticket query is invalid",
                Status = StatusCodes.Status400BadRequest,
            });
        }

        // A crew member sees its own crews' tickets: the crew filter is theirs, or theirs when they have one crew.
        if (Policies.CrewScope(user) is { } crews)
        {
            if (query.Crew is { } asked ? !crews.Contains(asked) : crews.Count != 1)
            {
                return query.Crew is null
                    ? TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["crew"] = [$"name one of your crews: {string.Join(", ", crews.Order(StringComparer.Ordinal))}"] })
                    {
                        Title = "The ticket query is invalid",
                        Status = StatusCodes.Status400BadRequest,
                    })
                    : TypedResults.Problem(title: "Not your crew", detail: $"You see the tickets of your own crews only, not of {query.Crew}", statusCode: StatusCodes.Status403Forbidden);
            }

            query = query with { Crew = query.Crew ?? crews.Single() };
        }

        var found = await repository.ListAsync(query, cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new TicketPage([.. found.Select(t => TicketView.From(t, now))], limit, offset));
    }

    /// <summary>The handler of <c>GET /api/tickets/{number}</c>.</summary>
    public static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(
        string number,
        ClaimsPrincipal user,
        ITicketRepository repository,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
        {
            return TypedResults.Problem(
                title: "Not a ticket number",
                detail: string.Create(CultureInfo.InvariantCulture, $"'{number}' is not a ticket number such as YW2611-0007"),
                statusCode: StatusCodes.Status400BadRequest);
        }

        var ticket = await repository.FindAsync(parsed, cancellationToken);
        if (ticket is not null && Policies.CrewScope(user) is { } crews && (ticket.Crew is null || !crews.Contains(ticket.Crew)))
        {
            return TypedResults.Problem(title: "Not your crew", detail: $"Ticket {parsed} is not one of your crews'", statusCode: StatusCodes.Status403Forbidden);
        }

        return ticket is null
            ? TypedResults.Problem(title: "No such ticket", detail: $"There is no ticket {parsed}", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(TicketView.From(ticket, clock.GetUtcNow()));
    }
}
