using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Requests;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Api.ServiceLevels;

/// <summary>The service-level terms in force: every term in whole minutes by name, and the version to send back with a change.</summary>
public sealed record ServiceLevelsView(long Version, IReadOnlyDictionary<string, long?> Terms, IReadOnlyDictionary<string, string> Descriptions);

/// <summary>One change of the terms: who, when, why, the terms before and after.</summary>
public sealed record ServiceLevelChangeView(long Version, string Author, DateTimeOffset ChangedAt, string Reason, IReadOnlyDictionary<string, long?> Old, IReadOnlyDictionary<string, long?> New)
{
    public static ServiceLevelChangeView From(ServiceLevelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Version, version.Author, version.ChangedAt, version.Reason, version.Old.ToMinutes(), version.New.ToMinutes());
    }
}

/// <summary>
/// The request body of a change (documentation of the body the endpoint reads field by field): every term of
/// <see cref="ServiceLevelsView.Terms"/> by name in whole minutes, beside these.
/// </summary>
/// <param name="Reason">Why; required, kept in the history.</param>
/// <param name="BasedOnVersion">The version the terms were edited from; a stale one is a 409.</param>
public sealed record ServiceLevelsChangeRequest(string Reason, long? BasedOnVersion);

/// <summary>A page of the history, newest first; <see cref="NextBefore"/> asks for the next page, null at the end.</summary>
public sealed record ServiceLevelHistoryPage(IReadOnlyList<ServiceLevelChangeView> Changes, long? NextBefore);

/// <summary>
/// <c>/api/service-levels</c>: each grade's response, arrival and fix times, each zone's arrival time and the
/// repeat-repair window, stored beside the thresholds. Every role reads them; admins change them with a reason, and
/// Rules and the Api set the next deadlines with the new terms.
/// </summary>
public static class ServiceLevelEndpoints
{
    public const long MaxBody = 16 * 1024;

    public static IEndpointRouteBuilder MapServiceLevels(this IEndpointRouteBuilder endpoints)
    {
        var levels = endpoints.MapGroup("/api/service-levels").WithTags("Service levels");
        levels.MapGet("/", GetAsync).RequireAuthorization(Policies.ReadSettings)
            .WithSummary("The service-level terms in force, in whole minutes: each grade's response, arrival and fix times, each zone's grade-1 arrival, the repeat-repair window.");
        levels.MapPut("/", PutAsync).RequireAuthorization(Policies.ChangeServiceLevels).Accepts<ServiceLevelsChangeRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replaces the terms (every term, a reason, optionally based_on_version; 409 when stale). New deadlines use them within a second.");
        levels.MapGet("/history", HistoryAsync).RequireAuthorization(Policies.ReadSettings)
            .WithSummary("Changes of the terms, newest first, with author, time, reason, old and new terms; paged with ?before=.");
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/service-levels</c>.</summary>
    public static async Task<Ok<ServiceLevelsView>> GetAsync(SqliteServiceLevelStore store, CancellationToken cancellationToken)
    {
        var (version, terms) = await store.LoadAsync(cancellationToken);
        return TypedResults.Ok(View(version, terms));
    }

    /// <summary>The handler of <c>PUT /api/service-levels</c>.</summary>
    public static async Task<Results<Ok<ServiceLevelsView>, ProblemHttpResult>> PutAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        SqliteServiceLevelStore store,
        ServiceLevelMonitor monitor,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, MaxBody, cancellationToken);
        body.AllowOnly([.. ServiceLevelTerms.All.Select(t => t.Name), "reason", "based_on_version"]);
        var minutes = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var term in ServiceLevelTerms.All)
        {
            var value = body.Integer(term.Name, required: !term.Optional, long.MinValue, long.MaxValue);
            if (term.Optional && !body.Has(term.Name))
            {
                body.Add(term.Name, "is required: whole minutes, or null for no target");
            }
            else if (body.Has(term.Name) && term.Check(value) is { } problem && !body.Problems.ContainsKey(term.Name))
            {
                body.Add(term.Name, problem);
            }

            minutes[term.Name] = value;
        }

        var reason = body.String("reason", required: true, SqliteServiceLevelStore.MaxReasonLength);
        var basedOn = body.Integer("based_on_version", required: false, 0, long.MaxValue);
        if (!body.IsValid)
        {
            return body.Problem("The service-level terms are invalid");
        }

        try
        {
            var terms = ServiceLevelTerms.FromMinutes(minutes, ServiceLevelTerms.Default);
            var applied = await store.ApplyAsync(terms, user.Identity!.Name!, reason!, basedOn, cancellationToken);

            // This process sets deadlines too: it takes the new terms now rather than at its next poll.
            await monitor.RefreshAsync(cancellationToken);
            return TypedResults.Ok(View(applied.Version, applied.New));
        }
        catch (ServiceLevelConflictException ex)
        {
            return TypedResults.Problem(title: "The service levels changed since", detail: ex.Message, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["current_version"] = ex.CurrentVersion });
        }
    }

    /// <summary>The handler of <c>GET /api/service-levels/history</c>.</summary>
    public static async Task<Results<Ok<ServiceLevelHistoryPage>, ProblemHttpResult>> HistoryAsync(
        SqliteServiceLevelStore store,
        CancellationToken cancellationToken,
        [FromQuery] string? limit = null,
        [FromQuery] string? before = null)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (pageSize, beforeVersion) = HistoryPaging.Read(limit, before, SqliteServiceLevelStore.MaxHistoryLimit, problems);
        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The history query is invalid", Status = StatusCodes.Status400BadRequest });
        }

        var rows = await store.HistoryAsync(pageSize, beforeVersion, cancellationToken);
        return TypedResults.Ok(new ServiceLevelHistoryPage([.. rows.Select(ServiceLevelChangeView.From)], rows.Count == pageSize ? rows[^1].Version : null));
    }

    private static ServiceLevelsView View(long version, ServiceLevelTerms terms) =>
        new(version, terms.ToMinutes(), ServiceLevelTerms.All.ToDictionary(t => t.Name, t => t.Description, StringComparer.Ordinal));
}
