using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Telemetry.Hosting;

/// <summary>The common start of every service: configuration, structured logging, health.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A web host builder reading appsettings.json, appsettings.{Environment}.json and environment
    /// variables (<c>Section__Key</c>), logging through Serilog as configured under <c>Serilog</c>, with any
    /// sink Serilog can load by name.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, string serviceName) =>
        Create(args, serviceName, configuration => new LoggerConfiguration().ReadFrom.Configuration(configuration));

    /// <summary>
    /// The same for a natively compiled service, which cannot load sinks by name: the <c>Serilog</c> section is read
    /// by <see cref="CompiledLogging"/>, which offers the console and file sinks.
    /// </summary>
    public static WebApplicationBuilder CreateNativeBuilder(string[] args, string serviceName) =>
        Create(args, serviceName, CompiledLogging.FromConfiguration);

    private static WebApplicationBuilder Create(string[] args, string serviceName, Func<IConfiguration, LoggerConfiguration> logging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables();

        var logger = logging(builder.Configuration)
            .Enrich.WithProperty("Service", serviceName)
            .Enrich.FromLogContext()
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.Services.AddSingleton<HealthRegistry>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        return builder;
    }
}

/// <summary>The name the process runs under, for logs and the health document.</summary>
public sealed record ServiceIdentity(string Name);
