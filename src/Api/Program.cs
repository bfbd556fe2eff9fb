using System.Text.Json;
using Telemetry.Api;
using Telemetry.Api.Access;
using Telemetry.Api.Assets;
using Telemetry.Api.Commands;
using Telemetry.Api.Documentation;
using Telemetry.Api.Forecasts;
using Telemetry.Api.History;
using Telemetry.Api.Live;
using Telemetry.Api.Plant;
using Telemetry.Api.Reports;
using Telemetry.Api.ServiceLevels;
using Telemetry.Api.Thresholds;
using Telemetry.Api.Tickets;
using Telemetry.Api.Web;
using Telemetry.Api.WorkOrders;
using Telemetry.Hosting;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

// Administration from the command line: users are added there, before anyone can sign in.
var command = args.Length > 0 && args[0] == "users";
var builder = ServiceHost.CreateBuilder(command ? [] : args, "Api");
if (command)
{
    var database = builder.Configuration["Api:Database"];
    return await UserCommand.RunAsync(args[1..], database, Console.In, Console.Out, Console.Error);
}

var settings = builder.Configuration.GetSection("Api").Get<ApiSettings>() ?? new ApiSettings();
var influxSettings = builder.Configuration.GetSection("Influx").Get<ApiInfluxSettings>() ?? new ApiInfluxSettings();
var brokerSettings = new BrokerSettings { ClientId = "api", SharedGroup = "api" };
builder.Configuration.GetSection("Mqtt").Bind(brokerSettings);
var commandSettings = builder.Configuration.GetSection("Commands").Get<CommandSettings>() ?? new CommandSettings();
var ticketOptions = new TicketOptions
{
    ServiceUnit = settings.ServiceUnit,
    TimeZone = settings.TimeZone,
    VerificationWithin = settings.VerificationWithin,
    SurveyWithin = settings.SurveyWithin,
    ReturnVisitWithin = settings.ReturnVisitWithin,
};
var problems = settings.Validate()
    .Concat(ticketOptions.Validate().Select(p => "Api:" + p))
    .Concat(influxSettings.Validate())
    .Concat(brokerSettings.Validate())
    .Concat(commandSettings.Validate())
    .ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(brokerSettings);
builder.Services.AddSingleton(ApiPlant.Load(settings));
if (influxSettings.Url is { } influxUrl)
{
    builder.Services.AddSingleton(sp => new InfluxClient(
        new InfluxClientOptions
        {
            BaseAddress = influxUrl,
            Database = influxSettings.Database,
            Username = influxSettings.Username,
            Password = influxSettings.Password,

            // Someone waits at a chart: a store that is down is a 503 within seconds, not after a minute of retries.
            MaxAttempts = 2,
            RequestTimeout = TimeSpan.FromSeconds(10),
        },
        sp.GetRequiredService<ILogger<InfluxClient>>()));
}

builder.Services.AddSingleton(influxSettings);
builder.Services.AddSingleton(sp => ticketOptions with { ServiceLevelSource = sp.GetRequiredService<ServiceLevelMonitor>() });
builder.Services.AddSingleton(sp => new ReadingHistory(sp.GetService<InfluxClient>(), influxSettings.Database, sp.GetRequiredService<ITicketRepository>()));
builder.Services.AddSingleton(commandSettings);
builder.Services.AddSingleton<CommandSender>();
builder.Services.AddSingleton<CommandAudit>();
builder.Services.AddSingleton<SiteSwitchConfirmations>();
builder.Services.AddSingleton(new SqliteDatabase(settings.Database));
builder.Services.AddSingleton<ITicketRepository, SqliteTicketRepository>();
builder.Services.AddSingleton<ICaseLibrary, SqliteCaseLibrary>();
builder.Services.AddThresholds();
builder.Services.AddLiveStatus();
builder.Services.AddSingleton(sp => new UserStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddAccess();
builder.Services.AddTicketActions(settings);
builder.Services.AddWorkOrders();
builder.Services.AddForecasts();
builder.Services.AddProblemDetails();
builder.Services.AddApiDocument();
builder.Services.AddReports();
builder.Services.AddAssets();
builder.Services.AddWebApp();

// The app's scripts and styles, those of its component library too, from the build output in any environment.
builder.WebHost.UseStaticWebAssets();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.WriteIndented = true;
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResponseCompression();
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseRateLimiter();
app.MapOpenApi().AllowAnonymous();
app.MapServiceHealth();
app.MapAccess();
app.MapTickets();
app.MapTicketActions();
app.MapWorkOrders();
app.MapForecasts();
app.MapFollowUps();
app.MapCases();
app.MapThresholds();
app.MapServiceLevels();
app.MapLive();
app.MapHistory();
app.MapCommands();
app.MapReports();
app.MapAssets();
app.MapWebApp();
await app.RunAsync();
return 0;

/// <summary>The Api's entry point, visible to the tests that host it in-process.</summary>
public partial class Program;
