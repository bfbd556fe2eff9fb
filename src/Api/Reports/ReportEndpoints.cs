using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Reports;

/// <summary><c>/api/reports/monthly</c>: the monthly statistics as JSON, CSV and an Excel workbook.</summary>
public static class ReportEndpoints
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton(new LightingRateCalculator());
        services.AddSingleton<MonthlyReportCalculator>();
        services.AddSingleton(sp => new LampReadings(
            sp.GetService<InfluxClient>(), sp.GetRequiredService<ApiInfluxSettings>().Database, sp.GetRequiredService<Plant.ApiPlant>()));
        services.AddSingleton(sp => new History.BatteryTestLog(sp.GetService<InfluxClient>(), sp.GetRequiredService<ApiInfluxSettings>().Database));
        services.AddSingleton<IPlannedWorkFigureSource>(sp => new PlannedWorkFromWorkOrders(sp.GetRequiredService<Maintenance.WorkOrders.IWorkOrderStore>()));
        services.AddSingleton<IEmergencyTestFigureSource>(sp => new EmergencyTestsFromEvents(
            sp.GetRequiredService<Plant.ApiPlant>(), sp.GetRequiredService<History.BatteryTestLog>()));
        services.AddSingleton(sp => new ReportTickets(sp.GetRequiredService<Maintenance.Tickets.ITicketRepository>()));
        services.AddSingleton(sp => new FaultAnalyses(
            sp.GetRequiredService<ReportTickets>(),
            sp.GetRequiredService<Plant.ApiPlant>(),
            TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<ApiSettings>().TimeZone)));
        services.AddSingleton(sp => new MonthlyReports(
            sp.GetRequiredService<ReportTickets>(),
            sp.GetRequiredService<LampReadings>(),
            sp.GetRequiredService<MonthlyReportCalculator>(),
            sp.GetRequiredService<LightingRateCalculator>(),
            TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<ApiSettings>().TimeZone),
            sp.GetRequiredService<TimeProvider>(),
            // Without a readings store no test is known: not available, rather than every unit failed.
            sp.GetRequiredService<History.BatteryTestLog>().Available ? sp.GetService<IEmergencyTestFigureSource>() : null,
            sp.GetService<IPlannedWorkFigureSource>()));
        services.AddSingleton(sp => new StoredReports(sp.GetRequiredService<Maintenance.Storage.SqliteDatabase>()));
        services.AddSingleton(sp => new ReportSchedule(
            sp.GetRequiredService<Plant.ApiPlant>(),
            TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<ApiSettings>().TimeZone),
            sp.GetRequiredService<ApiSettings>().Reports));
        services.AddSingleton(sp => new ScheduledReports(
            sp.GetRequiredService<ReportSchedule>(),
            sp.GetRequiredService<MonthlyReports>(),
            sp.GetRequiredService<FaultAnalyses>(),
            sp.GetRequiredService<StoredReports>(),
            sp.GetRequiredService<ApiSettings>().Reports,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ScheduledReports>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledReports>());
        return services;
    }

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.ServiceProvider.GetRequiredService<Hosting.HealthRegistry>().Add(endpoints.ServiceProvider.GetRequiredService<ScheduledReports>());
        endpoints.MapReportArchive();
        endpoints.MapGet("/api/reports/monthly", GetAsync)
            .WithTags("Reports")
            .WithName("GetMonthlyReport")
            .WithSummary("The monthly statistics of the service unit, a site or a crew: lamp lighting rate, tickets by grade and fault, response, arrival and fix on time, mean time to repair, repeat repairs.")
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/monthly.csv", GetCsvAsync)
            .WithTags("Reports")
            .WithName("GetMonthlyReportCsv")
            .WithSummary("The monthly statistics as CSV: one figure a line.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/monthly.xlsx", GetWorkbookAsync)
            .WithTags("Reports")
            .WithName("GetMonthlyReportWorkbook")
            .WithSummary("The monthly statistics as an Excel workbook: figures, lighting units, repeat repairs.")
            .Produces(StatusCodes.Status200OK, contentType: MonthlyReportWorkbook.ContentType)
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/fault-analysis", GetFaultAnalysisAsync)
            .WithTags("Reports")
            .WithName("GetFaultAnalysis")
            .WithSummary("The half-yearly fault analysis (half=2026-H2): Pareto of repair causes and of assets, repairs per device family and model, each against the half before.")
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/fault-analysis.csv", GetFaultAnalysisCsvAsync)
            .WithTags("Reports")
            .WithName("GetFaultAnalysisCsv")
            .WithSummary("The half-yearly fault analysis as CSV: the Pareto of causes, of assets, and repairs per model, each with the half before.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireAuthorization(Policies.ReadReports);
        endpoints.MapGet("/api/reports/fault-analysis.xlsx", GetFaultAnalysisWorkbookAsync)
            .WithTags("Reports")
            .WithName("GetFaultAnalysisWorkbook")
            .WithSummary("The half-yearly fault analysis as an Excel workbook: causes, assets and models sheets.")
            .Produces(StatusCodes.Status200OK, contentType: MonthlyReportWorkbook.ContentType)
            .RequireAuthorization(Policies.ReadReports);
        return endpoints;
    }

    public static async Task<Results<Ok<FaultAnalysisView>, ProblemHttpResult>> GetFaultAnalysisAsync(
        ClaimsPrincipal user,
        FaultAnalyses analyses,
        Plant.ApiPlant plant,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? half = null,
        [FromQuery] string? site = null,
        [FromQuery] string? crew = null)
    {
        var problems = new Dictionary<string, string[]>();
        var parsedHalf = half is null ? ReportHalfYear.Containing(clock.GetUtcNow(), analyses.Zone) : ReportHalfYear.TryParse(half);
        if (parsedHalf is null)
        {
            problems["half"] = [$"'{half}' is not a half year: yyyy-H1 or yyyy-H2, e.g. 2026-H2"];
        }

        var (scope, problem) = ScopeOf(user, plant, site, crew, problems);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(FaultAnalysisView.Of(await analyses.ComputeAsync(parsedHalf!.Value, scope!, cancellationToken)));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFaultAnalysisCsvAsync(
        ClaimsPrincipal user, FaultAnalyses analyses, Plant.ApiPlant plant, TimeProvider clock, CancellationToken cancellationToken,
        [FromQuery] string? half = null, [FromQuery] string? site = null, [FromQuery] string? crew = null) =>
        await GetFaultAnalysisAsync(user, analyses, plant, clock, cancellationToken, half, site, crew) switch
        {
            { Result: Ok<FaultAnalysisView> { Value: { } analysis } } => TypedResults.File(
                Encoding.UTF8.GetBytes(FaultAnalysisExport.Csv(analysis)), "text/csv; charset=utf-8", FaultAnalysisFileName(analysis, "csv")),
            { Result: ProblemHttpResult problem } => problem,
            _ => throw new InvalidOperationException("the fault analysis gave neither an analysis nor a problem"),
        };

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFaultAnalysisWorkbookAsync(
        ClaimsPrincipal user, FaultAnalyses analyses, Plant.ApiPlant plant, TimeProvider clock, CancellationToken cancellationToken,
        [FromQuery] string? half = null, [FromQuery] string? site = null, [FromQuery] string? crew = null) =>
        await GetFaultAnalysisAsync(user, analyses, plant, clock, cancellationToken, half, site, crew) switch
        {
            { Result: Ok<FaultAnalysisView> { Value: { } analysis } } => TypedResults.File(
                FaultAnalysisExport.Workbook(analysis), MonthlyReportWorkbook.ContentType, FaultAnalysisFileName(analysis, "xlsx")),
            { Result: ProblemHttpResult problem } => problem,
            _ => throw new InvalidOperationException("the fault analysis gave neither an analysis nor a problem"),
        };

    private static string FaultAnalysisFileName(FaultAnalysisView analysis, string extension) =>
        $"fault-analysis-{analysis.Half}-{analysis.Scope.Replace(':', '-')}.{extension}";

    public static async Task<Results<Ok<MonthlyReportView>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user,
        MonthlyReports reports,
        Plant.ApiPlant plant,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? month = null,
        [FromQuery] string? site = null,
        [FromQuery] string? crew = null)
    {
        var outcome = await ComputeAsync(user, reports, plant, clock, month, site, crew, cancellationToken);
        return outcome.Report is { } report ? TypedResults.Ok(report) : outcome.Problem!;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCsvAsync(
        ClaimsPrincipal user,
        MonthlyReports reports,
        Plant.ApiPlant plant,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? month = null,
        [FromQuery] string? site = null,
        [FromQuery] string? crew = null)
    {
        var outcome = await ComputeAsync(user, reports, plant, clock, month, site, crew, cancellationToken);
        return outcome.Report is { } report
            ? TypedResults.File(Encoding.UTF8.GetBytes(MonthlyReportCsv.Write(report)), "text/csv; charset=utf-8", FileName(report, "csv"))
            : outcome.Problem!;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetWorkbookAsync(
        ClaimsPrincipal user,
        MonthlyReports reports,
        Plant.ApiPlant plant,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? month = null,
        [FromQuery] string? site = null,
        [FromQuery] string? crew = null)
    {
        var outcome = await ComputeAsync(user, reports, plant, clock, month, site, crew, cancellationToken);
        return outcome.Report is { } report
            ? TypedResults.File(MonthlyReportWorkbook.Write(report), MonthlyReportWorkbook.ContentType, FileName(report, "xlsx"))
            : outcome.Problem!;
    }

    private static string FileName(MonthlyReportView report, string extension) =>
        $"monthly-{report.Month}-{report.Scope.Replace(':', '-')}.{extension}";

    private static async Task<(MonthlyReportView? Report, ProblemHttpResult? Problem)> ComputeAsync(
        ClaimsPrincipal user, MonthlyReports reports, Plant.ApiPlant plant, TimeProvider clock, string? month, string? site, string? crew, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        var parsedMonth = month is null ? ReportMonth.Containing(clock.GetUtcNow(), reports.Zone) : ReportMonth.TryParse(month);
        if (parsedMonth is null)
        {
            problems["month"] = [$"'{month}' is not a month: yyyy-MM, e.g. 2026-11"];
        }

        var (scope, problem) = ScopeOf(user, plant, site, crew, problems);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            return (MonthlyReportView.Of(await reports.ComputeAsync(parsedMonth!.Value, scope!, cancellationToken)), null);
        }
        catch (InfluxException ex)
        {
            return (null, TypedResults.Problem(title: "The readings store failed", detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable));
        }
    }

    // The scope a request names (a site, a crew, or neither for the service unit), or the problem with it and the other
    // parameters already found wrong; a crew member may name its own crews only.
    private static (ReportScope? Scope, ProblemHttpResult? Problem) ScopeOf(
        ClaimsPrincipal user, Plant.ApiPlant plant, string? site, string? crew, Dictionary<string, string[]> problems)
    {
        if (site is not null && plant.FindSite(site) is null)
        {
            problems["site"] = [$"no such site '{site}'"];
        }

        if (site is not null && crew is not null)
        {
            problems["crew"] = ["give a site or a crew, not both"];
        }

        if (problems.Count > 0)
        {
            return (null, TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The report request is invalid", Status = StatusCodes.Status400BadRequest }));
        }

        var scope = site is not null ? ReportScope.Site(site) : crew is not null ? ReportScope.Crew(crew) : ReportScope.ServiceUnit;
        if (Policies.CrewScope(user) is { } crews && (scope.Kind != ReportScopeKind.Crew || !crews.Contains(scope.Name!)))
        {
            return (null, TypedResults.Problem(title: "Not your crew", detail: "A crew member reads the reports of its own crew: ask with crew=<your crew>", statusCode: StatusCodes.Status403Forbidden));
        }

        return (scope, null);
    }
}
