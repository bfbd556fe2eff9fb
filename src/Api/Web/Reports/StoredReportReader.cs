using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Reports;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Web.Reports;

/// <summary>The reports page's list of stored monthly reports: those of one scope the user may read, newest first.</summary>
public sealed class StoredReportReader(StoredReports store)
{
    /// <summary>How many months the page lists.</summary>
    public const int Shown = 12;

    public async Task<IReadOnlyList<StoredReportEntry>> MonthlyAsync(ClaimsPrincipal user, ReportScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        IReadOnlyCollection<string>? own = Policies.CrewScope(user) is { } crews ? [.. crews.Select(c => $"crew:{c}")] : null;
        return await store.ListAsync(StoredReportKind.Monthly, scope.ToString(), own, Shown, cancellationToken);
    }

    public static string WorkbookPath(StoredReportEntry entry) => $"/api/reports/archive/{entry?.Id}.xlsx";

    public static string JsonPath(StoredReportEntry entry) => $"/api/reports/archive/{entry?.Id}";
}
