using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Reports;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Web.Reports;

/// <summary>
/// The report pages' lists of stored reports (the monthly reports, the half-year fault analyses): those of one kind and
/// scope the user may read, newest first.
/// </summary>
public sealed class StoredReportReader(StoredReports store)
{
    /// <summary>How many months, or halves, a page lists.</summary>
    public const int Shown = 12;

    public async Task<IReadOnlyList<StoredReportEntry>> ListAsync(ClaimsPrincipal user, string kind, ReportScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        IReadOnlyCollection<string>? own = Policies.CrewScope(user) is { } crews ? [.. crews.Select(c => $"crew:{c}")] : null;
        return await store.ListAsync(kind, scope.ToString(), own, Shown, cancellationToken);
    }

    public static string WorkbookPath(StoredReportEntry entry) => $"/api/reports/archive/{entry?.Id}.xlsx";

    public static string JsonPath(StoredReportEntry entry) => $"/api/reports/archive/{entry?.Id}";
}
