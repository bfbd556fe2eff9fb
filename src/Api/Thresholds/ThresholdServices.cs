using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Api.Thresholds;

/// <summary>The stores of thresholds and service-level terms, the backtest, and the monitor that keeps the Api's deadlines current.</summary>
public static class ThresholdServices
{
    /// <summary>How often the Api looks for service-level terms changed by another process; its own changes apply at once.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddThresholds(this IServiceCollection services)
    {
        services.AddSingleton(RuleSet.Default);
        services.AddSingleton(RuleSet.Default.Thresholds);
        services.AddSingleton<IThresholdStore, SqliteThresholdStore>();
        services.AddSingleton<ThresholdBacktest>();
        services.AddSingleton<SqliteServiceLevelStore>();
        services.AddSingleton(sp => new ServiceLevelMonitor(
            sp.GetRequiredService<SqliteServiceLevelStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceLevelMonitor>>(), PollInterval));
        services.AddHostedService(sp => sp.GetRequiredService<ServiceLevelMonitor>());
        return services;
    }
}
