using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Mqtt;

namespace Telemetry.Api.Live;

/// <summary>
/// Feeds <see cref="LivePlant"/> from the broker: every gateway's retained state and telemetry, through the shared
/// contract validator. Its own client (<c>api-status-…</c>, unique per process) in a clean session: on a reconnect the
/// retained states come back, and telemetry missed meanwhile is not "live" anyway. A message that breaks the
/// contract is counted and skipped; the next is read. Healthy only while connected, subscribed and keeping up.
/// </summary>
public sealed partial class LiveStatusConsumer(
    LivePlant plant,
    BrokerSettings broker,
    GatewayMessageValidator validator,
    ValidationLimits limits,
    ConsumerProgress progress,
    TimeProvider clock,
    ILogger<LiveStatusConsumer> logger,
    ILogger<MqttClient> clientLogger) : BackgroundService, IHealthSource
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private readonly Topics _topics = new(broker.Root);
    private readonly string _clientId = $"api-status-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    private int _connected;
    private int _subscribed;
    private long _messages;
    private long _invalid;

    public string Name => "live_status";

    public long Messages => Interlocked.Read(ref _messages);

    public long Invalid => Interlocked.Read(ref _invalid);

    public HealthVerdict Verdict => HealthVerdict.Healthy
        .When(Volatile.Read(ref _connected) == 0, HealthStatus.Unhealthy, "live status: not connected to the broker")
        .When(Volatile.Read(ref _subscribed) == 0, HealthStatus.Unhealthy, "live status: not subscribed yet")
        .And(progress.Verdict);

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("client_id", _clientId);
        writer.WriteBoolean("connected", Volatile.Read(ref _connected) == 1);
        writer.WriteNumber("messages", Messages);
        writer.WriteNumber("invalid", Invalid);
        writer.WriteNumber("unknown_devices", plant.UnknownDevices);
        writer.WriteNumber("unknown_refused", plant.UnknownRefused);
        writer.WriteNumber("oldest_unread_seconds", progress.OldestUnacknowledgedAge.TotalSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var mqtt = new MqttClient(
            broker.ClientOptions(_clientId) with
            {
                CleanStart = true,
                SessionExpiryInterval = TimeSpan.Zero,
                MessageQueueCapacity = 1_000,
                MessageQueueBytes = broker.MessageQueueBytes,
                MaximumPacketSize = limits.MaxPayloadBytes + (64 * 1024),
                Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(5) },
            },
            clientLogger,
            clock);
        mqtt.ConnectionStateChanged += (_, e) => Volatile.Write(ref _connected, e.State == MqttConnectionState.Connected ? 1 : 0);
        await Persistently.UntilDoneAsync(mqtt.ConnectAsync, "connect to the broker for live status", logger, clock, stoppingToken);
        Volatile.Write(ref _connected, mqtt.State == MqttConnectionState.Connected ? 1 : 0);
        MqttSubscription[] subscriptions =
        [
            new() { TopicFilter = _topics.AllStates, MaximumQoS = MqttQualityOfService.AtLeastOnce },
            new() { TopicFilter = _topics.AllTelemetry, MaximumQoS = MqttQualityOfService.AtMostOnce },
        ];
        await Persistently.UntilDoneAsync(ct => mqtt.SubscribeAsync(subscriptions, ct), "subscribe for live status", logger, clock, stoppingToken);
        progress.Watch(mqtt.Messages);
        Volatile.Write(ref _subscribed, 1);
        var sweep = SweepAsync(stoppingToken);
        try
        {
            await foreach (var message in mqtt.Messages.ReadAllAsync(stoppingToken))
            {
                Interlocked.Increment(ref _messages);
                try
                {
                    if (Handle(message.Message.Topic, message.Message.Payload.Span) is { } refused)
                    {
                        Interlocked.Increment(ref _invalid);
                        LogRefused(logger, message.Message.Topic, refused);
                    }
                }
#pragma warning disable CA1031 // One message that makes the view fail must not stop the view.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _invalid);
                    LogFailed(logger, ex, message.Message.Topic);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await sweep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await mqtt.DisconnectAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Applies one message to the view; returns why it was refused, or null.</summary>
    internal string? Handle(string topicName, ReadOnlySpan<byte> payload)
    {
        if (_topics.Parse(topicName) is not { Kind: GatewayTopicKind.State or GatewayTopicKind.Telemetry } topic)
        {
            return "not a gateway state or telemetry topic";
        }

        if (payload.Length > limits.MaxPayloadBytes)
        {
            return $"{payload.Length} bytes exceed the limit of {limits.MaxPayloadBytes}";
        }

        try
        {
            if (topic.Kind == GatewayTopicKind.State)
            {
                var state = JsonSerializer.Deserialize(payload, ContractsJson.Default.GatewayState) ?? throw new JsonException("the payload is JSON null");
                if (validator.CheckState(state) is { } refused)
                {
                    return refused.Detail;
                }

                plant.OnGatewayState(topic.Site, topic.Gateway, state);
                return null;
            }

            var batch = JsonSerializer.Deserialize(payload, ContractsJson.Default.ReadingBatch) ?? throw new JsonException("the payload is JSON null");
            var latest = validator.Latest();
            if (validator.CheckBatch(topic, batch, latest) is { } bad)
            {
                return bad.Detail;
            }

            var good = batch.Readings.Where((r, i) => validator.CheckReading(r, i, latest) is null).ToList();
            plant.OnReadings(topic.Site, topic.Gateway, good, clock.GetUtcNow());
            return good.Count == batch.Readings.Count ? null : $"{batch.Readings.Count - good.Count} readings refused";
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or OverflowException)
        {
            return ex.Message;
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                plant.Sweep(clock.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live status skipped a message on {Topic}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live status could not apply a message on {Topic}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string topic);
}
