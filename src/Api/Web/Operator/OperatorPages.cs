namespace Telemetry.Api.Web.Operator;

/// <summary>The operator's live plant: the overview, the site plans and the alarm list, with what they read.</summary>
public static class OperatorPages
{
    public static IServiceCollection AddOperatorPages(this IServiceCollection services)
    {
        services.AddSingleton<OpenTickets>();
        services.AddSingleton<PlantOverview>();
        services.AddSingleton<AlarmBoard>();
        services.AddSingleton<SiteImages>();
        services.AddSingleton<SitePlans>();
        return services;
    }

    /// <summary>Maps what the pages load besides themselves: the sites' pictures.</summary>
    public static IEndpointRouteBuilder MapOperatorPages(this IEndpointRouteBuilder endpoints) => SiteImages.MapSiteImages(endpoints);
}
