using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Contracts;

namespace Telemetry.Api.Reports;

/// <summary>A stored report with its content as the live report serves it (a monthly report or a fault analysis).</summary>
public sealed record StoredReportView(long Id, string Kind, string Period, string Scope, DateTimeOffset GeneratedAt, JsonElement Report);

/// <summary><c>/api/reports/archive</c>: the reports the schedule stored, frozen as they stood after their period ended.</summary>
public static class ReportArchiveEndpoints
{
    public const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapReportArchive(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/reports/archive", ListAsync)
            .WithTags("Reports")
            .WithName("ListStoredReports")
            .WithSummary("The stored reports, newest period first (kind=monthly or fault_analysis; scope=unit, site:<site> or crew:<crew>); a crew member sees its own crews' only.")
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/archive/{id:long}", GetAsync)
            .WithTags("Reports")
            .WithName("GetStoredReport")
            .WithSummary("One stored report with its figures as they stood when it was made.")
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/archive/{id:long}.xlsx", GetWorkbookAsync)
            .WithTags("Reports")
            .WithName("GetStoredReportWorkbook")
            .WithSummary("One stored report's Excel workbook, as it was made.")
            .Produces(StatusCodes.Status200OK, contentType: MonthlyReportWorkbook.ContentType)
            .RequireAuthorization(Policies.ReadReports);
        return endpoints;
    }

    public static async Task<Results<Ok<IReadOnlyList<StoredReportEntry>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        StoredReports store,
        Plant.ApiPlant plant,
        CancellationToken cancellationToken,
        [FromQuery] string? kind = null,
        [FromQuery] string? scope = null,
        [FromQuery] int? limit = null)
    {
        var problems = new Dictionary<string, string[]>();
        if (kind is not null && !StoredReportKind.All.Contains(kind))
        {
            problems["kind"] = [$"'{kind}' is not a kind of stored report: {string.Join(" or ", StoredReportKind.All)}"];
        }

        if (scope is not null && ScopeProblem(scope, plant) is { } wrong)
        {
            problems["scope"] = [wrong];
        }

        if (limit is < 1 or > StoredReports.MaxLimit)
        {
            problems["limit"] = [$"limit must be 1 to {StoredReports.MaxLimit}, not {limit}"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The archive request is invalid", Status = StatusCodes.Status400BadRequest });
        }

        var own = OwnScopes(user);
        if (own is not null && scope is not null && !own.Contains(scope))
        {
            return NotYourCrew();
        }

        return TypedResults.Ok(await store.ListAsync(kind, scope, own, limit ?? DefaultLimit, cancellationToken));
    }

    public static async Task<Results<Ok<StoredReportView>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, StoredReports store, long id, CancellationToken cancellationToken)
    {
        var (report, problem) = await FindAsync(user, store, id, cancellationToken);
        if (report is null)
        {
            return problem!;
        }

        using var content = JsonDocument.Parse(report.Json);
        var entry = report.Entry;
        return TypedResults.Ok(new StoredReportView(entry.Id, entry.Kind, entry.Period, entry.Scope, entry.GeneratedAt, content.RootElement.Clone()));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetWorkbookAsync(
        ClaimsPrincipal user, StoredReports store, long id, CancellationToken cancellationToken)
    {
        var (report, problem) = await FindAsync(user, store, id, cancellationToken);
        if (report is null)
        {
            return problem!;
        }

        var entry = report.Entry;
        var name = entry.Kind == StoredReportKind.Monthly ? "monthly" : "fault-analysis";
        return TypedResults.File(report.Workbook, MonthlyReportWorkbook.ContentType, $"{name}-{entry.Period}-{entry.Scope.Replace(':', '-')}.xlsx");
    }

    private static async Task<(StoredReport? Report, ProblemHttpResult? Problem)> FindAsync(
        ClaimsPrincipal user, StoredReports store, long id, CancellationToken cancellationToken)
    {
        var report = await store.FindAsync(id, cancellationToken);
        if (report is null)
        {
            return (null, TypedResults.Problem(title: "No such stored report", detail: $"no stored report {id}", statusCode: StatusCodes.Status404NotFound));
        }

        return OwnScopes(user) is { } own && !own.Contains(report.Entry.Scope) ? (null, NotYourCrew()) : (report, null);
    }

    // A crew member's scopes (crew:<crew> of each of its crews); null for the roles that read every report.
    private static IReadOnlyCollection<string>? OwnScopes(ClaimsPrincipal user) =>
        Policies.CrewScope(user) is { } crews ? [.. crews.Select(c => $"crew:{c}")] : null;

    private static ProblemHttpResult NotYourCrew() => TypedResults.Problem(
        title: "Not your crew", detail: "A crew member reads the stored reports of its own crew: ask with scope=crew:<your crew>", statusCode: StatusCodes.Status403Forbidden);

    private static string? ScopeProblem(string scope, Plant.ApiPlant plant)
    {
        if (scope == "unit")
        {
            return null;
        }

        if (scope.StartsWith("site:", StringComparison.Ordinal))
        {
            var site = scope["site:".Length..];
            return plant.FindSite(site) is null ? $"no such site '{site}'" : null;
        }

        if (scope.StartsWith("crew:", StringComparison.Ordinal))
        {
            var crew = scope["crew:".Length..];
            return Identifiers.IsValid(crew) ? null : $"crew '{crew}' is invalid: {Identifiers.Rule}";
        }

        return $"'{scope}' is not a scope: unit, site:<site> or crew:<crew>";
    }
}
