using Telemetry.Contracts;
using Telemetry.Hosting;
using Telemetry.InfluxDb;
using Telemetry.Ingest;
using Telemetry.Ingest.Consuming;
using Telemetry.Ingest.DeadLetters;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Validation;
using Telemetry.Mqtt;

var builder = ServiceHost.CreateBuilder(args, "Ingest");
var mqttSettings = builder.Configuration.GetSection("Mqtt").Get<MqttSettings>() ?? new MqttSettings();
var influxSettings = builder.Configuration.GetSection("Influx").Get<InfluxSettings>() ?? new InfluxSettings();
var limits = builder.Configuration.GetSection("Validation").Get<ValidationLimits>() ?? new ValidationLimits();
var deadLetterSettings = builder.Configuration.GetSection("DeadLetters").Get<DeadLetterSettings>() ?? new DeadLetterSettings();
var problems = mqttSettings.Validate().Concat(influxSettings.Validate()).Concat(limits.Validate()).ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

builder.Services.AddSingleton(mqttSettings);
builder.Services.AddSingleton(influxSettings);
builder.Services.AddSingleton(limits);
builder.Services.AddSingleton(deadLetterSettings);
builder.Services.AddSingleton<IngestStatistics>();
builder.Services.AddSingleton(new Topics(mqttSettings.Root));
builder.Services.AddSingleton<GatewayMessageValidator>();
builder.Services.AddSingleton<GatewayMessageEncoder>();
builder.Services.AddSingleton(sp => new DeadLetterSink(
    sp.GetRequiredService<IMqttClient>(), deadLetterSettings, mqttSettings.Root, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeadLetterSink>>()));
builder.Services.AddSingleton<IMqttClient>(sp => new MqttClient(
    new MqttClientOptions
    {
        Host = mqttSettings.Host,
        Port = mqttSettings.Port,
        ClientId = mqttSettings.ClientId,
        Username = mqttSettings.Username,
        Password = mqttSettings.Password,
        CleanStart = false,
        SessionExpiryInterval = mqttSettings.SessionExpiry,
        ManualAcknowledgement = true,
        ReceiveMaximum = (ushort)mqttSettings.ReceiveMaximum,
        MessageQueueCapacity = mqttSettings.ReceiveMaximum,
        MaximumPacketSize = limits.MaxPayloadBytes + 64 * 1024,

        // Back soon after a broker restart: until Ingest subscribes again, gateways' batches find no subscriber.
        Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(5) },
    },
    sp.GetRequiredService<ILogger<MqttClient>>(),
    sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(sp => new InfluxClient(
    new InfluxClientOptions
    {
        BaseAddress = influxSettings.Url,
        Database = influxSettings.Database,
        Username = influxSettings.Username,
        Password = influxSettings.Password,
        Gzip = influxSettings.CompressWrites,
    },
    sp.GetRequiredService<ILogger<InfluxClient>>()));
builder.Services.AddHostedService<IngestService>();

var app = builder.Build();
app.Services.GetRequiredService<HealthRegistry>().Add(app.Services.GetRequiredService<IngestStatistics>());
app.MapServiceHealth();
await app.RunAsync();
