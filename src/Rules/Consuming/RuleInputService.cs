using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Hosting;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using Telemetry.Mqtt;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Health;
using Telemetry.Rules.Persistence;
using Telemetry.Rules.Ticketing;

namespace Telemetry.Rules.Consuming;

/// <summary>
/// Feeds the gateways' stream to the rule engine and its conclusions to the ticket store. A message is
/// acknowledged only once every ticket change it caused is stored, so a crash at any moment leaves it with
/// the broker, which sends it again; the store is idempotent, so judging it twice opens nothing twice.
/// Time-driven conditions (silence, door open, gateway offline) are judged on a tick; the engine sees one
/// input at a time, in order.
/// </summary>
public sealed partial class RuleInputService(
    IMqttClient mqtt,
    RuleEngine engine,
    TicketRecorder recorder,
    ITicketRepository tickets,
    RuleStateStore stateStore,
    PlantFiles plant,
    BrokerSettings brokerSettings,
    RulesSettings settings,
    Topics topics,
    RulesStatistics statistics,
    TimeProvider clock,
    ILogger<RuleInputService> logger) : BackgroundService
{
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _judging = new(1, 1);
    private readonly List<FaultTransition> _transitions = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RestoreAsync(stoppingToken);
        mqtt.ConnectionStateChanged += (_, e) => statistics.BrokerConnected(e.State == MqttConnectionState.Connected);
        await Persistently.UntilDoneAsync(mqtt.ConnectAsync, "connect to the broker", logger, clock, stoppingToken);
        statistics.BrokerConnected(mqtt.State == MqttConnectionState.Connected);

        // Telemetry and events split between instances of the group; states are retained, and a shared
        // subscription is never sent retained messages, so each instance takes them whole.
        MqttSubscription[] subscriptions =
        [
            new() { TopicFilter = Topics.Shared(brokerSettings.SharedGroup, topics.AllTelemetry), MaximumQoS = MqttQualityOfService.AtLeastOnce },
            new() { TopicFilter = Topics.Shared(brokerSettings.SharedGroup, topics.AllEvents), MaximumQoS = MqttQualityOfService.AtLeastOnce },
            new() { TopicFilter = topics.AllStates, MaximumQoS = MqttQualityOfService.AtLeastOnce },
        ];
        await Persistently.UntilDoneAsync(ct => mqtt.SubscribeAsync(subscriptions, ct), "subscribe", logger, clock, stoppingToken);
        statistics.Subscribed();
        LogConsuming(logger, string.Join(", ", subscriptions.Select(s => s.TopicFilter)));

        var background = new[] { TickLoopAsync(stoppingToken), SaveLoopAsync(stoppingToken), PlantLoopAsync(stoppingToken), ReportLoopAsync(stoppingToken) };
        try
        {
            await foreach (var message in mqtt.Messages.ReadAllAsync(stoppingToken))
            {
                await JudgeAndStoreAsync(() => Judge(message.Message), stoppingToken);
                await mqtt.AcknowledgeAsync(message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What was not acknowledged is sent again after the restart.
        }
        finally
        {
            await Task.WhenAll(background).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SaveStateAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await mqtt.DisconnectAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Rebuilds the engine after a restart: conditions with an open ticket are active (so they neither open a
    /// second ticket nor go unnoticed when they clear), and learned baselines come back from the state store.
    /// </summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var saved = await Persistently.UntilDoneAsync(stateStore.LoadAsync, "load the rule state", logger, clock, cancellationToken);
        if (saved is not null)
        {
            engine.ImportState(saved);
        }

        var active = await Persistently.UntilDoneAsync(tickets.ListActiveConditionsAsync, "list open tickets", logger, clock, cancellationToken);
        engine.RestoreActive(active.Select(t => (t.Asset, t.Fault)));
        LogRestored(logger, active.Count, saved is not null);
    }

    /// <summary>Runs one input through the engine and stores what it concluded, one input at a time.</summary>
    private async Task JudgeAndStoreAsync(Action judge, CancellationToken cancellationToken)
    {
        await _judging.WaitAsync(cancellationToken);
        try
        {
            _transitions.Clear();
            judge();
            if (_transitions.Count > 0)
            {
                await Persistently.UntilDoneAsync<bool>(
                    async ct =>
                    {
                        await recorder.RecordAsync(_transitions, ct);
                        return true;
                    },
                    "store ticket changes",
                    logger,
                    clock,
                    cancellationToken,
                    onFailure: _ => statistics.StoreFailed());
            }
        }
        finally
        {
            _judging.Release();
        }
    }

    private void Judge(MqttApplicationMessage message)
    {
        if (topics.Parse(message.Topic) is not { Kind: not GatewayTopicKind.Command } topic)
        {
            Reject(message, InputRejection.UnknownTopic, "not a gateway state, telemetry or event topic");
            return;
        }

        if (message.Payload.Length > settings.MaxPayloadBytes)
        {
            Reject(message, InputRejection.Oversized, $"{message.Payload.Length} bytes, more than {settings.MaxPayloadBytes}");
            return;
        }

        try
        {
            switch (topic.Kind)
            {
                case GatewayTopicKind.Telemetry:
                    JudgeTelemetry(message, topic);
                    break;
                case GatewayTopicKind.State:
                    var state = JsonSerializer.Deserialize(message.Payload.Span, ContractsJson.Default.GatewayState)
                        ?? throw new JsonException("null state");
                    statistics.State();
                    engine.OnGatewayState(topic.Site, topic.Gateway, state, _transitions);
                    break;
                case GatewayTopicKind.Event:
                    var gatewayEvent = JsonSerializer.Deserialize(message.Payload.Span, ContractsJson.Default.GatewayEvent)
                        ?? throw new JsonException("null event");
                    if (gatewayEvent.V != 1)
                    {
                        Reject(message, InputRejection.UnsupportedVersion, $"event version {gatewayEvent.V}");
                        return;
                    }

                    statistics.Event();
                    engine.OnGatewayEvent(topic.Site, topic.Gateway, gatewayEvent, _transitions);
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            Reject(message, InputRejection.MalformedPayload, ex.Message);
        }
    }

    private void JudgeTelemetry(MqttApplicationMessage message, GatewayTopic topic)
    {
        var batch = JsonSerializer.Deserialize(message.Payload.Span, ContractsJson.Default.ReadingBatch)
            ?? throw new JsonException("null batch");
        if (batch.V != ReadingBatch.CurrentVersion)
        {
            Reject(message, InputRejection.UnsupportedVersion, $"batch version {batch.V}");
            return;
        }

        if (batch.Site != topic.Site || batch.Gateway != topic.Gateway)
        {
            Reject(message, InputRejection.TopicMismatch, $"batch of {batch.Site}/{batch.Gateway} on the topic of {topic.Site}/{topic.Gateway}");
            return;
        }

        var skippedBefore = engine.SkippedReadings;
        engine.OnReadings(topic.Site, topic.Gateway, batch, _transitions);
        var newest = batch.Readings.Count > 0 ? batch.Readings.Max(r => r.Ts) : batch.Sent;
        statistics.Batch(batch.Readings.Count, (int)(engine.SkippedReadings - skippedBefore), clock.GetUtcNow() - newest);
    }

    private void Reject(MqttApplicationMessage message, InputRejection reason, string detail)
    {
        statistics.Rejected(reason);
        LogRejected(logger, message.Topic, reason, detail);
    }

    private async Task TickLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(settings.TickInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await JudgeAndStoreAsync(() => engine.Tick(clock.GetUtcNow(), _transitions), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SaveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(settings.StateSaveInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await SaveStateAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSaveFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SaveStateAsync(CancellationToken cancellationToken)
    {
        RuleEngineState state;
        await _judging.WaitAsync(cancellationToken);
        try
        {
            state = engine.ExportState();
        }
        finally
        {
            _judging.Release();
        }

        await stateStore.SaveAsync(state, cancellationToken);
    }

    private async Task PlantLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(settings.SiteCheckInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (plant.CheckForChange() is { } directory)
                {
                    await JudgeAndStoreAsync(() => engine.ReplacePlant(directory), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(StatisticsInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                statistics.Sample();
                LogStatistics(logger, statistics.ReadingsPerSecond, statistics.Readings, statistics.TicketsOpened, statistics.Escalations);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Judging {Filters}")]
    private static partial void LogConsuming(ILogger logger, string filters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule state rebuilt: {ActiveConditions} active conditions from open tickets, learned state restored: {Restored}")]
    private static partial void LogRestored(ILogger logger, int activeConditions, bool restored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message on {Topic} not judged ({Reason}): {Detail}")]
    private static partial void LogRejected(ILogger logger, string topic, InputRejection reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the rule state, keeping the last saved one: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReadingsPerSecond:F0} readings/s judged, {Readings} in all, {TicketsOpened} tickets opened, {Escalations} escalations")]
    private static partial void LogStatistics(ILogger logger, double readingsPerSecond, long readings, long ticketsOpened, long escalations);
}
