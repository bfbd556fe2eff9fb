using Telemetry.Contracts;
using Telemetry.Hosting;
using Telemetry.Hosting.Sequences;
using Telemetry.InfluxDb;
using Telemetry.Ingest;
using Telemetry.Ingest.Consuming;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;
using Telemetry.Mqtt;

var builder = ServiceHost.CreateBuilder(args, "Ingest");
var mqttSettings = IngestBroker.Defaults();
builder.Configuration.GetSection("Mqtt").Bind(mqttSettings);
var influxSettings = builder.Configuration.GetSection("Influx").Get<InfluxSettings>() ?? new InfluxSettings();
var limits = builder.Configuration.GetSection("Validation").Get<ValidationLimits>() ?? new ValidationLimits();
var deadLetterSettings = new DeadLetterSettings { File = "deadletters/ingest-.jsonl", TopicSuffix = "deadletter/ingest" };
builder.Configuration.GetSection("DeadLetters").Bind(deadLetterSettings);
var healthSettings = builder.Configuration.GetSection("Health").Get<ConsumerHealthSettings>() ?? new ConsumerHealthSettings();

// Each process of the group keeps its own numbers: it sees only its part of the shared stream, and looks up the rest in
// the batches measurement before asking a gateway for them.
var sequenceSettings = new SequenceSettings { File = Path.Combine("state", $"{mqttSettings.ClientId}.sequences.json") };
builder.Configuration.GetSection(SequenceSettings.SectionName).Bind(sequenceSettings);
var problems = mqttSettings.Validate().Concat(influxSettings.Validate()).Concat(limits.Validate()).Concat(deadLetterSettings.Validate()).Concat(healthSettings.Validate())
    .Concat(sequenceSettings.Validate()).ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

builder.Services.AddSingleton(mqttSettings);
builder.Services.AddSingleton(influxSettings);
builder.Services.AddSingleton(limits);
builder.Services.AddSingleton(deadLetterSettings);
builder.Services.AddSingleton(healthSettings);
builder.Services.AddSingleton(sequenceSettings);
builder.Services.AddSingleton<StoredBatches>();
builder.Services.AddSingleton(sp =>
{
    var stored = sp.GetRequiredService<StoredBatches>();
    var repair = new GapRepair(
        sp.GetRequiredService<IMqttClient>(), new Topics(mqttSettings.Root), mqttSettings.SharedGroup, sequenceSettings,
        sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GapRepair>>())
    {
        FindHandled = stored.FindAsync,
    };
    repair.Load();
    return repair;
});
builder.Services.AddSingleton(sp => new ConsumerProgress(sp.GetRequiredService<TimeProvider>(), healthSettings.MaxMessageAge));
builder.Services.AddSingleton<IngestStatistics>();
builder.Services.AddSingleton(new Topics(mqttSettings.Root));
builder.Services.AddSingleton<GatewayMessageValidator>();
builder.Services.AddSingleton<GatewayMessageEncoder>();
builder.Services.AddSingleton(sp => new DeadLetterSink(
    sp.GetRequiredService<IMqttClient>(), deadLetterSettings, mqttSettings.Root, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeadLetterSink>>()));
builder.Services.AddSingleton<DeadLetterWriter>();
builder.Services.AddSingleton<BatchWriter>();
builder.Services.AddSingleton<IMqttClient>(sp => mqttSettings.CreateConsumer(
    limits.MaxPayloadBytes + 64 * 1024, sp.GetRequiredService<ILogger<MqttClient>>(), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(sp => new InfluxClient(
    new InfluxClientOptions
    {
        BaseAddress = influxSettings.Url,
        Database = influxSettings.Database,
        Username = influxSettings.Username,
        Password = influxSettings.Password,
        Gzip = influxSettings.CompressWrites,

        // One try per request: Ingest retries itself, with back-off, so that health hears of every failure and
        // tells a failure worth waiting out from one that needs the operator.
        MaxAttempts = 1,
    },
    sp.GetRequiredService<ILogger<InfluxClient>>()));
builder.Services.AddHostedService<IngestService>();

var app = builder.Build();
app.Services.GetRequiredService<HealthRegistry>().Add(app.Services.GetRequiredService<IngestStatistics>());
app.Services.GetRequiredService<HealthRegistry>().Add(app.Services.GetRequiredService<GapRepair>());
app.MapServiceHealth();
await app.RunAsync();
