using System.Text.Json;
using Telemetry.Api;
using Telemetry.Api.Tickets;
using Telemetry.Hosting;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

var builder = ServiceHost.CreateBuilder(args, "Api");
var settings = builder.Configuration.GetSection("Api").Get<ApiSettings>() ?? new ApiSettings();
var ticketOptions = new TicketOptions { ServiceUnit = settings.ServiceUnit, TimeZone = settings.TimeZone };
var problems = settings.Validate().Concat(ticketOptions.Validate().Select(p => "Api:" + p)).ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(ticketOptions);
builder.Services.AddSingleton(new SqliteDatabase(settings.Database));
builder.Services.AddSingleton<ITicketRepository, SqliteTicketRepository>();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.WriteIndented = true;
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapServiceHealth();
app.MapTickets();
await app.RunAsync();
