using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Hosting.Sequences;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Mqtt;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Health;
using Telemetry.Rules.Persistence;
using Telemetry.Rules.Planning;
using Telemetry.Rules.Ticketing;

namespace Telemetry.Rules.Consuming;

/// <summary>
/// Feeds the gateways' stream to the rule engine and its conclusions to the ticket store. A message is
/// acknowledged only once every ticket change it caused is stored (or it is dead-lettered), so a crash at any
/// moment leaves it with the broker, which sends it again; the store is idempotent, so judging it twice opens
/// nothing twice. Each message stands alone: one that breaks the contract, makes the engine fail or that the store
/// refuses for good is dead-lettered with its reason and acknowledged, and the next is judged. Only the store being
/// unavailable is retried, and while it is, the time-driven checks go on judging: changes are stored in the order
/// they were concluded by one writer, and no lock is held while waiting for it. Silence and offline are judged only
/// while this consumer keeps up, so a stall of its own never reads as a silent plant.
/// </summary>
public sealed partial class RuleInputService(
    IMqttClient mqtt,
    RuleEngine engine,
    MessageJudge judge,
    GapRepair gaps,
    DataGapTickets dataGaps,
    TicketRecorder recorder,
    BatteryTestWorkOrders batteryTestOrders,
    ITicketRepository tickets,
    RuleStateStore stateStore,
    PlantFiles plant,
    BrokerSettings brokerSettings,
    RulesSettings settings,
    Topics topics,
    RulesStatistics statistics,
    ConsumerProgress progress,
    DeadLetterSink deadLetters,
    TimeProvider clock,
    ILogger<RuleInputService> logger) : BackgroundService
{
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(30);

    // Judging and queueing its changes happen together under this lock, so the store sees them in the engine's order.
    // It is never held across an await.
    private readonly Lock _order = new();
    private readonly Channel<PendingChanges> _changes = Channel.CreateUnbounded<PendingChanges>(new UnboundedChannelOptions { SingleReader = true });

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
            gaps.Subscription,
            new() { TopicFilter = Topics.Shared(brokerSettings.SharedGroup, topics.AllDataGaps), MaximumQoS = MqttQualityOfService.AtLeastOnce },
        ];
        await Persistently.UntilDoneAsync(ct => mqtt.SubscribeAsync(subscriptions, ct), "subscribe", logger, clock, stoppingToken);
        progress.Watch(mqtt.Messages);
        statistics.Subscribed();
        LogConsuming(logger, string.Join(", ", subscriptions.Select(s => s.TopicFilter)));

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var store = StoreLoopAsync(stopping.Token);
        var background = new[] { TickLoopAsync(stoppingToken), SaveLoopAsync(stoppingToken), PlantLoopAsync(stoppingToken), ReportLoopAsync(stoppingToken), gaps.RunAsync(stoppingToken) };
        try
        {
            await foreach (var message in mqtt.Messages.ReadAllAsync(stoppingToken))
            {
                var hold = progress.Hold(message.ReceivedTimestamp);
                try
                {
                    await HandleAsync(message.Message, stoppingToken);
                    await mqtt.AcknowledgeAsync(message, stoppingToken);
                }
                finally
                {
                    progress.Release(hold);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What was not acknowledged is sent again after the restart.
        }
        finally
        {
            await Task.WhenAll(background).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _changes.Writer.TryComplete();
            await stopping.CancelAsync();
            await store.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SaveStateAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await mqtt.DisconnectAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Judges one message and waits until what it concluded is stored: its ticket changes, then the work order a
    /// finished battery test completes. What was refused, by the contract, the engine or the store, is dead-lettered.
    /// Returns when the message may be acknowledged.
    /// </summary>
    internal async Task HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (gaps.TryTakeSummary(message))
        {
            return;
        }

        var transitions = new List<FaultTransition>();
        var events = new List<JudgedEvent>();
        IReadOnlyList<Rejection> rejections;
        Task<Rejection?>? stored = null;
        JudgedBatch? batch = null;
        lock (_order)
        {
            try
            {
                rejections = dataGaps.IsDataGap(message.Topic)
                    ? DataGap(message, transitions)
                    : judge.Judge(message.Topic, message.Payload.Span, transitions, events, out batch);
            }
            catch (Exception ex)
            {
                // A failure that is not about the store is the message's (or a bug it found): it would fail again.
                // What the engine concluded before it failed is still stored, so the tickets agree with the engine.
                statistics.Rejected(RejectionReason.Unprocessable);
                LogUnprocessable(logger, ex, message.Topic, ex.GetType().Name, ex.Message);
                rejections = [new Rejection(RejectionReason.Unprocessable, $"{ex.GetType().Name}: {ex.Message}")];
            }

            if (transitions.Count > 0)
            {
                stored = Enqueue(transitions);
            }
        }

        if (stored is not null && await stored.WaitAsync(cancellationToken) is { } refusal)
        {
            statistics.Rejected(refusal.Reason);
            rejections = [.. rejections, refusal];
        }

        foreach (var judged in events.Where(e => BatteryTestWorkOrders.Concerns(e.Event)))
        {
            if (await CompleteWorkOrderAsync(judged, cancellationToken) is { } refused)
            {
                statistics.Rejected(refused.Reason);
                rejections = [.. rejections, refused];
            }
        }

        if (rejections.Count > 0)
        {
            await Persistently.UntilDoneAsync(
                ct => deadLetters.WriteAsync(message.Topic, message.Payload, rejections, ct),
                "write a dead letter",
                logger,
                clock,
                cancellationToken,
                isTransient: ex => ex is IOException or UnauthorizedAccessException,
                progress: progress);
            statistics.DeadLettered();
        }

        // Judged (or refused for good) and its conclusions stored: a replay or redelivery of it is skipped from now on.
        if (batch is { } number)
        {
            if (number.Skipped)
            {
                gaps.Skipped();
            }
            else
            {
                gaps.Handled(number.Topic, number.Seq, number.Sent, GapRepair.IsReplay(message));
            }
        }
    }

    private IReadOnlyList<Rejection> DataGap(MqttApplicationMessage message, List<FaultTransition> transitions)
    {
        if (dataGaps.Read(message.Topic, message.Payload.Span, out var rejection) is { } detected)
        {
            LogDataGap(logger, detected.Asset.Key, detected.Summary);
            transitions.Add(detected);
            return [];
        }

        statistics.Rejected(rejection!.Reason);
        return [rejection];
    }

    // The work order store is the ticket store's database: unavailable is retried, a refusal for good is the message's.
    private async Task<Rejection?> CompleteWorkOrderAsync(JudgedEvent judged, CancellationToken cancellationToken)
    {
        try
        {
            await StoreAsync(ct => batteryTestOrders.RecordAsync(judged.Site, judged.Gateway, judged.Event, ct), "complete a work order by a battery test", cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            statistics.StoreRefused();
            LogWorkOrderRefused(logger, ex, judged.Event.Device, ex.Message);
            return new Rejection(RejectionReason.RefusedByStore, $"work order of the battery test on {judged.Event.Device}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>One write to the maintenance database: retried while it is unavailable (counted as a store failure), thrown when refused for good.</summary>
    private Task StoreAsync(Func<CancellationToken, Task> write, string what, CancellationToken cancellationToken) =>
        Persistently.UntilDoneAsync(
            async ct =>
            {
                await write(ct);
                return true;
            },
            what,
            logger,
            clock,
            cancellationToken,
            onFailure: _ => statistics.StoreFailed(),
            isTransient: SqliteDatabase.IsTransient,
            progress: progress);

    private Task<Rejection?> Enqueue(List<FaultTransition> transitions)
    {
        var pending = new PendingChanges(transitions);
        if (!_changes.Writer.TryWrite(pending))
        {
            pending.Done.TrySetCanceled();
        }

        return pending.Done.Task;
    }

    /// <summary>
    /// The one writer of ticket changes, in the order they were concluded. A store that is unavailable is retried
    /// until it is back; a change it refuses for good is reported to whoever concluded it, and the next is stored.
    /// </summary>
    private async Task StoreLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var pending in _changes.Reader.ReadAllAsync(cancellationToken))
            {
                Rejection? refusal = null;
                foreach (var transition in pending.Transitions)
                {
                    try
                    {
                        await StoreAsync(ct => recorder.RecordAsync([transition], ct), "store ticket changes", cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        statistics.StoreRefused();
                        LogStoreRefused(logger, ex, transition.Fault.ToName(), transition.Asset.Key, ex.Message);
                        refusal ??= new Rejection(RejectionReason.RefusedByStore, $"{transition.Fault.ToName()} on {transition.Asset.Key}: {ex.GetType().Name}: {ex.Message}");
                    }
                }

                pending.Done.TrySetResult(refusal);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            while (_changes.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Rebuilds the engine after a restart: conditions with an open ticket are active (so they neither open a
    /// second ticket nor go unnoticed when they clear), and learned baselines come back from the state store.
    /// </summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var saved = await Persistently.UntilDoneAsync(stateStore.LoadAsync, "load the rule state", logger, clock, cancellationToken);
        var restored = saved?.States?.Count ?? 0;
        var skipped = saved is null ? 0 : engine.ImportState(saved);
        if (saved is not null && saved.Version != RuleEngineState.CurrentVersion)
        {
            LogOldState(logger, saved.Version, RuleEngineState.CurrentVersion);
        }

        var active = await Persistently.UntilDoneAsync(tickets.ListActiveConditionsAsync, "list open tickets", logger, clock, cancellationToken);
        engine.RestoreActive(active.SelectMany(t => t.ActiveConditions.Select(f => (t.Asset, f))));
        LogRestored(logger, active.Count, restored - skipped, skipped);
    }

    private async Task TickLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(settings.TickInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // A consumer that is behind has not heard what the devices sent: silence judged now would be its own.
                var keepingUp = progress.KeepingUp;
                if (!keepingUp)
                {
                    statistics.SilenceCheckSkipped();
                }

                lock (_order)
                {
                    var transitions = new List<FaultTransition>();
                    engine.Tick(clock.GetUtcNow(), transitions, judgeSilence: keepingUp);
                    if (transitions.Count > 0)
                    {
                        _ = Enqueue(transitions);
                    }
                }
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

    // The engine serialises its own calls; the export is a copy, saved without holding anything.
    private Task SaveStateAsync(CancellationToken cancellationToken) => stateStore.SaveAsync(engine.ExportState(), cancellationToken);

    private async Task PlantLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(settings.SiteCheckInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (plant.CheckForChange() is { } directory)
                {
                    lock (_order)
                    {
                        engine.ReplacePlant(directory);
                    }
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

    /// <summary>Changes concluded together, and who waits for them to be stored (null: stored; else what the store refused).</summary>
    private sealed class PendingChanges(IReadOnlyList<FaultTransition> transitions)
    {
        public IReadOnlyList<FaultTransition> Transitions { get; } = transitions;

        public TaskCompletionSource<Rejection?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data gap on {Gateway}: {Summary}")]
    private static partial void LogDataGap(ILogger logger, string gateway, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Judging {Filters}")]
    private static partial void LogConsuming(ILogger logger, string filters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saved rule state is of version {Saved}, this release reads {Current}: rules start from what they learn again (current baselines in 10 healthy readings)")]
    private static partial void LogOldState(ILogger logger, int saved, int current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule state rebuilt: {ActiveConditions} active conditions from open tickets, {Restored} rule states restored, {Skipped} skipped (a rule or asset no longer known, or unreadable)")]
    private static partial void LogRestored(ILogger logger, int activeConditions, int restored, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message on {Topic} could not be judged ({ExceptionType}: {Reason}); it is dead-lettered and the next one judged")]
    private static partial void LogUnprocessable(ILogger logger, Exception exception, string topic, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The ticket store refused {Fault} on {Asset} for good ({Reason}); its message is dead-lettered")]
    private static partial void LogStoreRefused(ILogger logger, Exception exception, string fault, string asset, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The work order store refused the battery test of {Device} for good ({Reason}); its message is dead-lettered")]
    private static partial void LogWorkOrderRefused(ILogger logger, Exception exception, string? device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the rule state, keeping the last saved one: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReadingsPerSecond:F0} readings/s judged, {Readings} in all, {TicketsOpened} tickets opened, {Escalations} escalations")]
    private static partial void LogStatistics(ILogger logger, double readingsPerSecond, long readings, long ticketsOpened, long escalations);
}
