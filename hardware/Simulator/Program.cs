using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Hosting;
using Telemetry.Simulator;
using Telemetry.Simulator.Api;
using Telemetry.Simulator.Clock;
using Telemetry.Simulator.Scenarios;
using Telemetry.Simulator.Serving;

var builder = ServiceHost.CreateBuilder(args, "Simulator");
builder.Configuration.AddCommandLine(args, SimulatorSettings.SwitchMappings.ToDictionary());
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // The control API's default address; ASPNETCORE_URLS or --urls choose another.
    builder.WebHost.UseUrls("http://127.0.0.1:5180");
}

var settings = builder.Configuration.GetSection("Simulator").Get<SimulatorSettings>() ?? new SimulatorSettings();
var problems = settings.Validate().ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

// A broken site or scenario file stops the simulator with every error listed (file, JSON path, rule).
var profiles = ProfileLoader.LoadDirectory(settings.ProfilesPath);
var site = SiteLoader.LoadFile(settings.SitePath, profiles);
var scenario = settings.Scenario is null ? null : ScenarioLoader.LoadFile(Path.GetFullPath(settings.Scenario), site);
var tcp = new Dictionary<string, (string Host, int Port)>(StringComparer.Ordinal);
foreach (var (link, value) in settings.Tcp)
{
    var (host, port) = SimulatorSettings.ParseEndpoint(value)!.Value;
    tcp[link] = (host ?? (site.Gateways.SelectMany(g => g.Links).OfType<TcpLink>().FirstOrDefault(l => l.Id == link)?.Host ?? "127.0.0.1"), port);
}

var clock = new SimulationClock(TimeProvider.System, settings.Clock.Start ?? TimeProvider.System.GetUtcNow(), settings.Clock.Mode, settings.Clock.Speed);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(clock);
builder.Services.AddSingleton(sp => new Simulation(
    site,
    new SimulationOptions
    {
        Gateway = string.IsNullOrEmpty(settings.Gateway) ? null : settings.Gateway,
        Links = string.IsNullOrWhiteSpace(settings.Links) ? null : settings.Links.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
        Seed = settings.Seed,
        Physics = settings.Physics,
        SerialPaths = settings.Serial.ToDictionary(s => s.Key, s => Path.GetFullPath(s.Value), StringComparer.Ordinal),
        TcpEndpoints = tcp,
        WireTiming = settings.WireTiming,
        Scenario = scenario,
    },
    clock,
    sp.GetRequiredService<ILogger<Simulation>>()));
builder.Services.AddSingleton<SimulationService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulationService>());
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow; // a typo in a request is an error, not ignored
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseStatusCodePages();
app.Services.GetRequiredService<HealthRegistry>().Add(app.Services.GetRequiredService<SimulationService>());
app.MapServiceHealth();
app.MapControlApi();
await app.RunAsync();
