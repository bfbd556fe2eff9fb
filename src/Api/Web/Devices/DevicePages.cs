namespace Telemetry.Api.Web.Devices;

/// <summary>The services of the device page: its reads, its trend, its manual opening and its point words.</summary>
public static class DevicePages
{
    public static IServiceCollection AddDevicePages(this IServiceCollection services)
    {
        services.AddSingleton<DeviceDirectory>();
        services.AddSingleton<DeviceTrend>();
        services.AddSingleton<ManualOpening>();
        services.AddScoped<PointWords>();
        return services;
    }
}
