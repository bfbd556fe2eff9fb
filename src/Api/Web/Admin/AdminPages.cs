namespace Telemetry.Api.Web.Admin;

/// <summary>The services of the admin's pages: users.</summary>
public static class AdminPages
{
    public static IServiceCollection AddAdminPages(this IServiceCollection services)
    {
        services.AddScoped<UsersService>();
        return services;
    }
}
