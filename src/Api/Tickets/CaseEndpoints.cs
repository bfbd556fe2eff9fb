using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>A past repair as the API shows it, with the model of the asset it was made on (when the plant knows it).</summary>
public sealed record CaseView(string Number, string Fault, string Asset, string? Model, DateTimeOffset ResolvedAt, string Cause, string Action, IReadOnlyList<string> Parts, string? Note, string Summary);

/// <summary>Cases found, the best match first.</summary>
public sealed record CasePage(IReadOnlyList<CaseView> Cases);

/// <summary>The past repairs most like a ticket's: the same fault, on the same model first, the newest first.</summary>
public sealed class SimilarCases(ICaseLibrary library, ApiPlant plant)
{
    /// <summary>How many cases of the fault are weighed before the same model is put first.</summary>
    private const int Considered = 200;

    public async Task<IReadOnlyList<CaseView>> ForAsync(TicketNumber number, string fault, string assetKey, int limit, CancellationToken cancellationToken)
    {
        var model = ModelOf(assetKey);
        var cases = await library.SearchAsync(new CaseQuery(null, fault, Considered), cancellationToken);
        return [.. cases
            .Where(c => c.Number != number)
            .Select(View)
            .OrderByDescending(c => model is not null && c.Model == model)
            .ThenByDescending(c => c.ResolvedAt)
            .Take(limit)];
    }

    public CaseView View(RepairCase repair)
    {
        ArgumentNullException.ThrowIfNull(repair);
        return new(repair.Number.ToString(), repair.Fault, repair.AssetKey, ModelOf(repair.AssetKey), repair.ResolvedAt, repair.Cause, repair.Action, repair.Parts, repair.Note, repair.Summary);
    }

    private string? ModelOf(string assetKey) =>
        AssetRef.TryParse(assetKey) is { Device: { } device } asset && plant.Find(asset.Site, device) is { } found ? found.Device.Profile.Model : null;
}

/// <summary>The case library over HTTP: <c>GET /api/cases</c> (search) and <c>GET /api/tickets/{number}/similar-cases</c>.</summary>
public static class CaseEndpoints
{
    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cases", SearchAsync)
            .WithTags("Tickets")
            .WithName("SearchCases")
            .WithSummary("The case library: past repairs (cause, action, parts) found by words in any language (`q`) and fault type (`fault`), the best match first.")
            .RequireAuthorization(Policies.ReadTickets);
        endpoints.MapGet("/api/tickets/{number}/similar-cases", SimilarAsync)
            .WithTags("Tickets")
            .WithName("SimilarCases")
            .WithSummary("The past repairs of the ticket's fault, on the same model first: how it was fixed before.")
            .RequireAuthorization(Policies.ReadTickets);
        return endpoints;
    }

    public static async Task<Results<Ok<CasePage>, ProblemHttpResult>> SearchAsync(
        ICaseLibrary library,
        SimilarCases similar,
        CancellationToken cancellationToken,
        [FromQuery] string? q = null,
        [FromQuery] string? fault = null,
        [FromQuery] int limit = 20)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (q is { Length: > SqliteCaseLibrary.MaxTextLength })
        {
            problems["q"] = [$"at most {SqliteCaseLibrary.MaxTextLength} characters"];
        }

        if (fault is not null && !FaultType.TryParse(fault, out _))
        {
            problems["fault"] = ["not a fault type"];
        }

        if (limit is < 1 or > SqliteCaseLibrary.MaxLimit)
        {
            problems["limit"] = [$"must be 1 to {SqliteCaseLibrary.MaxLimit}"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The case search is invalid", Status = StatusCodes.Status400BadRequest });
        }

        var cases = await library.SearchAsync(new CaseQuery(q, fault, limit), cancellationToken);
        return TypedResults.Ok(new CasePage([.. cases.Select(similar.View)]));
    }

    public static async Task<Results<Ok<CasePage>, ProblemHttpResult>> SimilarAsync(
        string number,
        ClaimsPrincipal user,
        ITicketRepository tickets,
        SimilarCases similar,
        CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
        {
            return TypedResults.Problem(title: "Not a ticket number", detail: $"'{(number.Length > 32 ? number[..32] : number)}' is not a ticket number", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await tickets.FindAsync(parsed, cancellationToken) is not { } ticket)
        {
            return TypedResults.Problem(title: "No such ticket", detail: $"There is no ticket {parsed}", statusCode: StatusCodes.Status404NotFound);
        }

        // A crew member reads its own crews' tickets only, and so their cases.
        if (Policies.CrewScope(user) is { } crews && (ticket.Crew is null || !crews.Contains(ticket.Crew)))
        {
            return TypedResults.Problem(title: "Not your crew", detail: $"You see the tickets of your own crews only, not {parsed}", statusCode: StatusCodes.Status403Forbidden);
        }

        return TypedResults.Ok(new CasePage(await similar.ForAsync(ticket.Number, ticket.Fault.ToName(), ticket.Asset.Key, 5, cancellationToken)));
    }
}
