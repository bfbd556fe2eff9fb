using Telemetry.Contracts;
using Telemetry.Gateway.BatteryTests;
using Telemetry.Gateway.Buffering;
using Telemetry.Gateway.Commands;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Gateway.Polling;
using Telemetry.Gateway.Publishing;
using Telemetry.Gateway.Replay;
using Telemetry.Hosting;
using Telemetry.Mqtt;

var builder = ServiceHost.CreateNativeBuilder(args, "Gateway");
var settings = builder.Configuration.GetSection(GatewaySettings.SectionName).Get<GatewaySettings>() ?? new GatewaySettings();
var problems = settings.Validate().ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

// A broken site file stops the start with every error listed (file, JSON path, rule).
var initialPlant = SiteConfiguration.LoadPlant(settings, version: 1);
var topics = new Topics(settings.Root);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(topics);
builder.Services.AddSingleton<ReadingCollector>();
builder.Services.AddSingleton<GatewayStatistics>();
builder.Services.AddSingleton<SiteConfiguration>();
builder.Services.AddSingleton(sp => StoreAndForwardQueue.Open(
    settings.QueueOptions, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Telemetry.Gateway.Buffering"), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(sp => SequenceCounter.Open(
    settings.SequencePath, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Telemetry.Gateway.Buffering"), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(sp => BatchArchive.Open(
    settings.ArchiveDirectory, settings.Replay, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Telemetry.Gateway.Replay")));
builder.Services.AddSingleton<OutboundQueue>();
builder.Services.AddSingleton<IMqttClient>(sp => new MqttClient(
    BrokerOptions.For(initialPlant, settings, topics, sp.GetRequiredService<TimeProvider>()),
    sp.GetRequiredService<ILogger<MqttClient>>(),
    sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<PollingService>();
builder.Services.AddSingleton(sp => BatteryTestLedger.Open(
    settings.BatteryTestLedgerPath, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Telemetry.Gateway.BatteryTests")));
builder.Services.AddSingleton<BatteryTestRunner>();
builder.Services.AddSingleton<EmergencyTestScheduler>();
builder.Services.AddSingleton(sp => SeenCommandIds.Open(
    settings.SeenCommandsPath, settings.Commands.MaxRememberedIds, sp.GetRequiredService<TimeProvider>().GetUtcNow(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Telemetry.Gateway.Commands")));
builder.Services.AddSingleton<ReplayService>();
builder.Services.AddSingleton<CommandService>();

// Stopped in reverse order: commands, then polling, then the last batch is queued, then the queue is drained.
builder.Services.AddHostedService(sp => sp.GetRequiredService<SiteConfiguration>());
builder.Services.AddHostedService<PublishingService>();
builder.Services.AddHostedService<BatchAssembler>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PollingService>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<CommandService>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplayService>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<EmergencyTestScheduler>());

var app = builder.Build();
Directory.CreateDirectory(Path.GetFullPath(settings.StateDirectory));
var statistics = app.Services.GetRequiredService<GatewayStatistics>();
var queue = app.Services.GetRequiredService<StoreAndForwardQueue>();
statistics.Queue = queue;
statistics.Site = app.Services.GetRequiredService<SiteConfiguration>();
var commands = app.Services.GetRequiredService<CommandService>();
statistics.CommandsWaiting = () => (commands.Inbox.Count, commands.Inbox.Bytes);
statistics.BatteryTestLedgerCorrupt = app.Services.GetRequiredService<BatteryTestLedger>().CorruptLines;
var registry = app.Services.GetRequiredService<HealthRegistry>();
registry.Add(statistics);
registry.Add(new StoreAndForwardQueueHealth(queue));
registry.Add(app.Services.GetRequiredService<ReplayService>());
app.MapServiceHealth();
await app.RunAsync();
