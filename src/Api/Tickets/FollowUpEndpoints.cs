using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>One follow-up task owed now or soon: the ticket, what is owed and by when.</summary>
public sealed record DueFollowUp(string Number, string Kind, DateTimeOffset Due, bool Overdue, int Grade, string Fault, string Asset, string Site, string? Crew, DateTimeOffset? ClosedAt, string Summary);

/// <summary>The follow-up tasks due within the asked window or overdue, the earliest first.</summary>
public sealed record DueFollowUps(IReadOnlyList<DueFollowUp> FollowUps, DateTimeOffset DueBefore);

/// <summary>The follow-up tasks owed now or soon, for the endpoint and the operators' page alike.</summary>
public sealed class FollowUpBoard(ITicketRepository repository, TimeProvider clock)
{
    /// <summary>The tasks overdue or due within <paramref name="within"/>, the earliest first; a crew member's own crews' only.</summary>
    public async Task<DueFollowUps> DueAsync(ClaimsPrincipal user, TimeSpan within, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = clock.GetUtcNow();
        var before = now + within;
        var crews = Policies.CrewScope(user);
        var tickets = await repository.ListFollowUpsDueAsync(before, cancellationToken);
        var due = tickets
            .Where(t => crews is null || (t.Crew is { } crew && crews.Contains(crew)))
            .SelectMany(t => t.OpenFollowUps.Where(f => f.Due <= before).Select(f => new DueFollowUp(
                t.Number.ToString(), FollowUpView.KindName(f.Kind), f.Due, f.IsOverdue(now), (int)t.Grade, t.Fault.ToName(), t.Asset.Key, t.Asset.Site, t.Crew, t.ClosedAt, t.Summary)))
            .OrderBy(f => f.Due)
            .ThenBy(f => f.Number, StringComparer.Ordinal)
            .ToList();
        return new DueFollowUps(due, before);
    }
}

/// <summary><c>GET /api/follow-ups</c>: what the service still owes customers after repairs — verifications, surveys, return visits.</summary>
public static class FollowUpEndpoints
{
    public const int MaxWithinHours = 24 * 30;

    public static IEndpointRouteBuilder MapFollowUps(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/follow-ups", ListAsync)
            .WithTags("Tickets")
            .WithName("ListFollowUps")
            .WithSummary("Follow-up tasks owed after repairs (verification within 48 h of the resolution, survey within 16 h of the closing, return visit after a grade 1 or 2 repair) that are overdue or due within the next `within_hours` (24 by default); a crew member sees its own crews'.")
            .RequireAuthorization(Policies.ReadTickets);
        return endpoints;
    }

    public static async Task<Results<Ok<DueFollowUps>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        FollowUpBoard board,
        CancellationToken cancellationToken,
        [FromQuery(Name = "within_hours")] int withinHours = 24)
    {
        if (withinHours is < 0 or > MaxWithinHours)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["within_hours"] = [$"must be 0 to {MaxWithinHours}"] })
            {
                Title = "The follow-up query is invalid",
                Status = StatusCodes.Status400BadRequest,
            });
        }

        return TypedResults.Ok(await board.DueAsync(user, TimeSpan.FromHours(withinHours), cancellationToken));
    }
}
