using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Api.Reports;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Web.Reports;

/// <summary>A scope the reports page offers: its query (<c>site=north</c>, <c>crew=crew-north</c>, empty for the unit) and its scope.</summary>
public sealed record ReportChoice(string Query, ReportScope Scope);

/// <summary>What the reports page shows: the report, or why there is none.</summary>
public sealed record ReportOutcome(MonthlyReportView? Report, string? Problem);

/// <summary>
/// The reports page's data: the scopes a user may pick (everything for operators, engineers and admins; a crew member its
/// own crews) and the monthly report of one, as the Api serves it.
/// </summary>
public sealed class MonthlyReportReader(MonthlyReports reports, ApiPlant plant, TimeProvider clock)
{
    public ReportMonth CurrentMonth => ReportMonth.Containing(clock.GetUtcNow(), reports.Zone);

    public IReadOnlyList<ReportChoice> Choices(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Policies.CrewScope(user) is { } crews)
        {
            return [.. crews.Order(StringComparer.Ordinal).Select(c => new ReportChoice($"crew={Uri.EscapeDataString(c)}", ReportScope.Crew(c)))];
        }

        var sites = plant.Sites.Select(s => new ReportChoice($"site={Uri.EscapeDataString(s.Id)}", ReportScope.Site(s.Id)));
        var teams = plant.Sites.SelectMany(s => s.Devices).Select(d => d.Crew).OfType<string>().Distinct().Order(StringComparer.Ordinal)
            .Select(c => new ReportChoice($"crew={Uri.EscapeDataString(c)}", ReportScope.Crew(c)));
        return [new ReportChoice("", ReportScope.ServiceUnit), .. sites, .. teams];
    }

    public async Task<ReportOutcome> ReadAsync(ClaimsPrincipal user, ReportMonth month, ReportChoice choice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (!Choices(user).Contains(choice))
        {
            return new(null, "not-allowed");
        }

        try
        {
            return new(MonthlyReportView.Of(await reports.ComputeAsync(month, choice.Scope, cancellationToken)), null);
        }
        catch (InfluxException)
        {
            return new(null, "readings-failed");
        }
    }

    /// <summary>The address of an export of the report (<c>csv</c>, <c>xlsx</c>).</summary>
    public static string ExportPath(ReportMonth month, ReportChoice choice, string extension)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return $"/api/reports/monthly.{extension}?month={month}" + (choice.Query.Length > 0 ? "&" + choice.Query : "");
    }
}
