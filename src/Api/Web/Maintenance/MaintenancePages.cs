namespace Telemetry.Api.Web.Maintenance;

/// <summary>The services of the maintenance calendar.</summary>
public static class MaintenancePages
{
    public static IServiceCollection AddMaintenancePages(this IServiceCollection services)
    {
        services.AddScoped<MaintenanceCalendar>();
        return services;
    }
}
