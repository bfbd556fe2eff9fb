using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Live;

/// <summary>The live status's parts: the view, its events, the broker consumer and the ticket feed follower.</summary>
public static class LiveServices
{
    public static IServiceCollection AddLiveStatus(this IServiceCollection services)
    {
        services.AddSingleton(sp => new LiveEvents(LiveEvents.FirstStatusSeqAt(sp.GetRequiredService<TimeProvider>().GetUtcNow())));
        services.AddSingleton<LivePlant>(sp => new(sp.GetRequiredService<Plant.ApiPlant>(), sp.GetRequiredService<LiveEvents>()));
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Validation").Get<ValidationLimits>() ?? new ValidationLimits());
        services.AddSingleton(sp => new GatewayMessageValidator(sp.GetRequiredService<ValidationLimits>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITicketChangeFeed>(sp => new SqliteTicketChangeFeed(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new LiveStatusConsumer(
            sp.GetRequiredService<LivePlant>(),
            sp.GetRequiredService<BrokerSettings>(),
            sp.GetRequiredService<GatewayMessageValidator>(),
            sp.GetRequiredService<ValidationLimits>(),
            new ConsumerProgress(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(30)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LiveStatusConsumer>>(),
            sp.GetRequiredService<ILogger<Mqtt.MqttClient>>()));
        services.AddSingleton<TicketFeedFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveStatusConsumer>());
        services.AddHostedService(sp => sp.GetRequiredService<TicketFeedFollower>());
        return services;
    }
}
