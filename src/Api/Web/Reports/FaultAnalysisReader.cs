using System.Security.Claims;
using Telemetry.Api.Reports;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Web.Reports;

/// <summary>
/// The fault analysis page's data: the half-yearly analysis of a scope the user may pick (the same choices as the monthly
/// report's), as the Api serves it, and the halves offered (the current one and the three before).
/// </summary>
public sealed class FaultAnalysisReader(FaultAnalyses analyses, MonthlyReportReader reports, TimeProvider clock)
{
    public ReportHalfYear CurrentHalf => ReportHalfYear.Containing(clock.GetUtcNow(), analyses.Zone);

    public IReadOnlyList<ReportHalfYear> Halves()
    {
        var halves = new List<ReportHalfYear> { CurrentHalf };
        while (halves.Count < 4)
        {
            halves.Add(halves[^1].Previous);
        }

        return halves;
    }

    public IReadOnlyList<ReportChoice> Choices(ClaimsPrincipal user) => reports.Choices(user);

    /// <summary>The analysis, or null when the user may not read the scope.</summary>
    public async Task<FaultAnalysisView?> ReadAsync(ClaimsPrincipal user, ReportHalfYear half, ReportChoice choice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return Choices(user).Contains(choice) ? FaultAnalysisView.Of(await analyses.ComputeAsync(half, choice.Scope, cancellationToken)) : null;
    }

    /// <summary>The address of the page for a half and scope, or of an export of it (<c>csv</c>, <c>xlsx</c>).</summary>
    public static string PathOf(ReportHalfYear half, ReportChoice choice, string? extension = null)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var path = extension is null ? "/reports/fault-analysis" : $"/api/reports/fault-analysis.{extension}";
        return $"{path}?half={half}" + (choice.Query.Length > 0 ? "&" + choice.Query : "");
    }
}
