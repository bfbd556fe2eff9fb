namespace Telemetry.Api.Web.Engineering;

/// <summary>The services of the engineer's pages: thresholds with their backtest, and battery tests.</summary>
public static class EngineeringPages
{
    public static IServiceCollection AddEngineeringPages(this IServiceCollection services)
    {
        services.AddScoped<ThresholdsService>();
        services.AddScoped<BatteryTestsService>();
        return services;
    }
}
