using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary><c>/api/tickets</c>: the tickets the rules opened, for operators and crews.</summary>
public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder endpoints)
    {
        var tickets = endpoints.MapGroup("/api/tickets").WithTags("Tickets");
        tickets.MapGet("/", ListAsync)
            .WithName("ListTickets")
            .WithSummary("Tickets, newest first, filtered by status, site, crew, grade, fault, asset and opening time.");
        tickets.MapGet("/{number}", GetAsync)
            .WithName("GetTicket")
            .WithSummary("One ticket with its deadlines, escalations and history.");
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/tickets</c>, public so that it can be run through ASP.NET Core's binding with any query string.</summary>
    public static async Task<Results<Ok<TicketPage>, ProblemHttpResult>> ListAsync(
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

        var found = await repository.ListAsync(query, cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new TicketPage([.. found.Select(t => TicketView.From(t, now))], limit, offset));
    }

    /// <summary>The handler of <c>GET /api/tickets/{number}</c>.</summary>
    public static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(
        string number,
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
        return ticket is null
            ? TypedResults.Problem(title: "No such ticket", detail: $"There is no ticket {parsed}", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(TicketView.From(ticket, clock.GetUtcNow()));
    }
}
