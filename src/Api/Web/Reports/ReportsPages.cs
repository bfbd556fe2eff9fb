namespace Telemetry.Api.Web.Reports;

/// <summary>The services of the report pages.</summary>
public static class ReportsPages
{
    public static IServiceCollection AddReportsPages(this IServiceCollection services)
    {
        services.AddScoped<MonthlyReportReader>();
        services.AddScoped<FaultAnalysisReader>();
        services.AddScoped<StoredReportReader>();
        return services;
    }
}
