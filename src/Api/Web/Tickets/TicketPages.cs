namespace Telemetry.Api.Web.Tickets;

/// <summary>The services of the crew's work and ticket pages.</summary>
public static class TicketPages
{
    public static IServiceCollection AddTicketPages(this IServiceCollection services)
    {
        services.AddScoped<TicketReader>();
        services.AddScoped<TicketSteps>();
        return services;
    }
}
