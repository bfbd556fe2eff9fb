using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
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

    private static async Task<Results<Ok<TicketPage>, ProblemHttpResult>> ListAsync(
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
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var statuses = new List<TicketStatus>();
        foreach (var name in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TicketStatuses.TryParse(name, out var parsed))
            {
                statuses.Add(parsed);
            }
            else
            {
                problems["status"] = [$"'{name}' is not a status: {string.Join(", ", Enum.GetValues<TicketStatus>().Select(s => s.ToName()))}"];
            }
        }

        CheckIdentifier(problems, "site", site);
        CheckIdentifier(problems, "crew", crew);
        if (grade is < 1 or > 4)
        {
            problems["grade"] = [$"{grade} is not a grade (1-4)"];
        }

        FaultType? faultType = null;
        if (fault is not null)
        {
            if (FaultTypes.TryParse(fault, out var parsed))
            {
                faultType = parsed;
            }
            else
            {
                problems["fault"] = [$"'{fault}' is not a fault type: {string.Join(", ", Enum.GetValues<FaultType>().Select(f => f.ToName()))}"];
            }
        }

        if (asset is not null && AssetRef.TryParse(asset) is null)
        {
            problems["asset"] = [$"'{asset}' is not an asset key (site/gateway[/device[/circuit]])"];
        }

        if (limit is < 1 or > TicketQuery.MaxLimit)
        {
            problems["limit"] = [$"{limit} must be 1-{TicketQuery.MaxLimit}"];
        }

        if (offset < 0)
        {
            problems["offset"] = [$"{offset} must not be negative"];
        }

        if (from is not null && to is not null && from > to)
        {
            problems["from"] = ["must not be after 'to'"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems)
            {
                Title = "The ticket query is invalid",
                Status = StatusCodes.Status400BadRequest,
            });
        }

        var query = new TicketQuery
        {
            Statuses = statuses.Count > 0 ? statuses : null,
            Site = site,
            Crew = crew,
            Grade = grade is { } g ? (FaultGrade)g : null,
            Fault = faultType,
            AssetKey = asset,
            OpenOnly = open,
            OpenedFrom = from,
            OpenedTo = to,
            Limit = limit,
            Offset = offset,
        };
        var found = await repository.ListAsync(query, cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new TicketPage([.. found.Select(t => TicketView.From(t, now))], limit, offset));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(
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

    private static void CheckIdentifier(Dictionary<string, string[]> problems, string name, string? value)
    {
        if (value is not null && !Identifiers.IsValid(value))
        {
            problems[name] = [$"'{value}' is invalid: {Identifiers.Rule}"];
        }
    }
}
