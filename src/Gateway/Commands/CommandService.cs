using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.BatteryTests;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Gateway.Polling;
using Telemetry.Gateway.Publishing;
using Telemetry.Gateway.Replay;
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Commands;

/// <summary>
/// Takes commands from <c>{root}/{site}/{gateway}/cmd/+</c> and carries them out on the device's link between polls.
/// The MQTT client's one reader hands each command to a bounded <see cref="CommandInbox"/> at once, refusing it as
/// <c>busy</c> (or <c>too_large</c>) when the inbox is full, so a flood of commands or a slow device never stops the
/// client reading the PUBACKs of telemetry. One worker then checks each command in turn: the response topic is this
/// gateway's own reply tree, the envelope is complete and current (<see cref="CommandGuard"/>), the id is new
/// (<see cref="SeenCommandIds"/>, on disk before anything is written), the device and its profile allow it
/// (<see cref="CommandPlanner"/>; a point owned by a dedicated action is not written raw). It answers on the
/// response topic with the correlation data and records every command as a <c>command_result</c> event. A refused
/// command is answered (unless its response topic is foreign), counted per reason and logged; the service keeps going.
/// </summary>
public sealed partial class CommandService(
    IMqttClient mqtt,
    PollingService polling,
    BatteryTestRunner batteryTests,
    OutboundQueue outbound,
    SiteConfiguration site,
    Topics topics,
    GatewaySettings settings,
    SeenCommandIds seen,
    GatewayStatistics statistics,
    TimeProvider clock,
    ILogger<CommandService> logger,
    ReplayService? replays = null) : BackgroundService
{
    private static readonly TimeSpan IntakeSummaryInterval = TimeSpan.FromSeconds(1);
    private readonly CommandSettings _limits = settings.Commands;
    private readonly ConcurrentDictionary<string, long> _intakeRefusals = new(StringComparer.Ordinal);
    private int _quickAnswersPending;

    /// <summary>The commands waiting to be carried out.</summary>
    public CommandInbox Inbox { get; } = new(settings.Commands.MaxQueued, settings.Commands.MaxQueuedBytes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (mqtt.State != MqttConnectionState.Connected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, stoppingToken);
            }

            var plant = site.Current;
            var filter = $"{topics.Root}/{plant.SiteId}/{plant.GatewayId}/cmd/+";
            await mqtt.SubscribeAsync([new MqttSubscription { TopicFilter = filter, MaximumQoS = MqttQualityOfService.AtLeastOnce }], stoppingToken);
            statistics.ListeningForCommands();
            LogSubscribed(logger, filter);
            var working = Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None);
            var summarising = Task.Run(() => SummariseIntakeAsync(stoppingToken), CancellationToken.None);
            try
            {
                await foreach (var received in mqtt.Messages.ReadAllAsync(stoppingToken))
                {
                    // The client has one reader: replay requests are handed to their own worker, the rest are commands.
                    if (replays?.TryTake(received.Message) != true)
                    {
                        Take(received.Message);
                    }
                }
            }
            finally
            {
                await Task.WhenAll(working, summarising).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The reader's part: queues a command for the worker, or refuses it, without waiting for anything.</summary>
    public void Take(MqttApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (CommandIntake.DeviceOf(topics, site.Current, message.Topic) is not { } deviceId)
        {
            return;
        }

        if (message.Payload.Length > _limits.MaxPayloadBytes)
        {
            RefuseAtIntake(message, deviceId, new(CommandRefusal.TooLarge, string.Create(CultureInfo.InvariantCulture, $"the payload is {message.Payload.Length} bytes; a command is at most {_limits.MaxPayloadBytes}")));
        }
        else if (!Inbox.TryAdd(message))
        {
            RefuseAtIntake(message, deviceId, new(CommandRefusal.Busy, string.Create(CultureInfo.InvariantCulture, $"{Inbox.Count} commands ({Inbox.Bytes} bytes) are waiting, the gateway's most; send it again later")));
        }
    }

    /// <summary>Checks, carries out and answers one command message.</summary>
    public async Task HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (CommandIntake.DeviceOf(topics, site.Current, message.Topic) is not { } deviceId)
        {
            return;
        }

        var plant = site.Current;
        var now = clock.GetUtcNow();
        var (command, refusal) = CommandIntake.Read(message.Payload.Span);
        var answerOn = message.ResponseTopic;
        if (answerOn is not null && !CommandGuard.IsOwnReplyTopic(topics, plant.SiteId, plant.GatewayId, answerOn))
        {
            refusal = new(CommandRefusal.ForeignReplyTopic, $"the response topic is not under {topics.ReplyPrefix(plant.SiteId, plant.GatewayId)}; not answered there");
            answerOn = null;
        }
        else if (command is not null && CommandGuard.Admit(command, now, _limits.ClockSkew, _limits.MaxLifetime, out refusal) is { } admitted)
        {
            refusal = seen.Remember(admitted.Id, admitted.Expires, now) switch
            {
                RememberResult.Replayed => new(CommandRefusal.Replayed, $"command id {admitted.Id} was taken before; it is not carried out again"),
                RememberResult.Full => new(CommandRefusal.Busy, string.Create(CultureInfo.InvariantCulture, $"the gateway remembers {_limits.MaxRememberedIds} unexpired command ids, its most; send it again later")),
                _ => null,
            };
        }

        CommandOutcome outcome;
        if (refusal is not null)
        {
            outcome = CommandOutcome.Rejected(refusal.Reason);
        }
        else
        {
            var target = polling.Find(deviceId);
            var decision = CommandIntake.Plan(command!, plant.GatewayId, deviceId, target?.Device, now, plant.Site.TimeZone);
            refusal = decision.Refusal;
            outcome = decision.Writes is { } writes
                ? await CarryOutAsync(target!.Value.Worker, target.Value.Device, command!, writes, cancellationToken)
                : CommandOutcome.Rejected(refusal!.Reason);
            if (refusal is null && outcome.Result == CommandResult.Rejected)
            {
                // The device's state refused it (mains lost, maintenance key off, a test running).
                refusal = new(CommandRefusal.NotPossible, outcome.Reason ?? "");
                outcome = CommandOutcome.Rejected(refusal.Reason);
            }
        }

        Record(deviceId, command, outcome, refusal);
        if (answerOn is not null)
        {
            await AnswerAsync(answerOn, message.CorrelationData, deviceId, command, outcome, cancellationToken);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var message = await Inbox.TakeAsync(cancellationToken);
                try
                {
                    await HandleAsync(message, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    statistics.Command("failed");
                    LogHandlingFailed(logger, message.Topic, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<CommandOutcome> CarryOutAsync(LinkWorker worker, SiteDevice device, DeviceCommand command, IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken) =>
        command.Action switch
        {
            CommandPlanner.StartFunctionTest => await batteryTests.StartAsync(worker, device, BatteryTestKind.Function, writes, cancellationToken),
            CommandPlanner.StartDurationTest => await batteryTests.StartAsync(worker, device, BatteryTestKind.Duration, writes, cancellationToken),
            CommandPlanner.StartOneHourTest => await batteryTests.StartAsync(worker, device, BatteryTestKind.OneHour, writes, cancellationToken),
            CommandPlanner.Lift => await LiftAsync(worker, device, command, writes, cancellationToken),
            _ => await DeviceWriter.WriteAsync(worker, device, writes, cancellationToken),
        };

    // Raising or lowering the ring with people at the pole is what the key guards; stopping is always allowed.
    private static async Task<CommandOutcome> LiftAsync(LinkWorker worker, SiteDevice device, DeviceCommand command, IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken)
    {
        if (command.Direction != "stop")
        {
            var state = await worker.ReadNowAsync(device, cancellationToken);
            if (state.Decoded is not { } decoded)
            {
                return CommandOutcome.DeviceError(state.Error ?? "the mast could not be read");
            }

            if (decoded.Find("maintenance_key")?.AsBoolean != true)
            {
                return CommandOutcome.Rejected("the mast's maintenance key is off: the lift moves only with the key on at the pole");
            }
        }

        return await DeviceWriter.WriteAsync(worker, device, writes, cancellationToken);
    }

    private void Record(string deviceId, DeviceCommand? command, CommandOutcome outcome, CommandRefusal? refusal)
    {
        var action = command?.Action ?? "unknown";
        statistics.Command(outcome.ResultName);
        if (refusal is not null)
        {
            statistics.CommandRefused(refusal.Code);
        }

        if (outcome.Result == CommandResult.Done)
        {
            LogDone(logger, deviceId, Shown(action), Shown(command?.Id ?? ""), Shown(command?.Issuer ?? ""));
        }
        else
        {
            LogNotDone(logger, deviceId, Shown(action), Shown(command?.Id ?? ""), Shown(command?.Issuer ?? ""), outcome.ResultName, outcome.Reason ?? "");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["action"] = Truncate(action), ["result"] = outcome.ResultName };
        if (refusal is not null)
        {
            attributes["refusal"] = refusal.Code;
        }

        if (command?.Id is { } id)
        {
            attributes["command_id"] = Truncate(id);
        }

        if (command?.Issuer is { } issuer)
        {
            attributes["issuer"] = Truncate(issuer);
        }

        if (command?.Point is { } point)
        {
            attributes["point"] = Truncate(point);
        }

        if (command is not null && Describe(command) is { Length: > 0 } value)
        {
            attributes["value"] = Truncate(value);
        }

        AppendEvent(deviceId, outcome.Reason, attributes, null);
    }

    private async Task AnswerAsync(string topic, ReadOnlyMemory<byte>? correlation, string deviceId, DeviceCommand? command, CommandOutcome outcome, CancellationToken cancellationToken)
    {
        var response = new CommandResponse { Id = command?.Id, Device = deviceId, Action = command?.Action ?? "unknown", Result = outcome.Result, Reason = outcome.Reason, Ts = clock.GetUtcNow() };
        try
        {
            await mqtt.PublishAsync(Answer(topic, correlation, response, MqttQualityOfService.AtLeastOnce), cancellationToken);
        }
        catch (ArgumentException ex)
        {
            LogResponseRefused(logger, topic, ex.Message);
        }
        catch (MqttClientDisconnectedException ex)
        {
            LogResponseRefused(logger, topic, ex.Message);
        }
    }

    /// <summary>
    /// A refusal at the intake is counted, summed into one event a second (an event per refused command would put a
    /// flood into the outbound queue ahead of telemetry), and answered at QoS 0 with at most a few answers pending:
    /// the reader never waits on an answer, and answers never take the publish quota telemetry needs.
    /// </summary>
    private void RefuseAtIntake(MqttApplicationMessage message, string deviceId, CommandRefusal refusal)
    {
        statistics.Command("rejected");
        statistics.CommandRefused(refusal.Code);
        _intakeRefusals.AddOrUpdate(refusal.Code, 1, (_, n) => n + 1);
        var plant = site.Current;
        if (message.ResponseTopic is not { } topic || !CommandGuard.IsOwnReplyTopic(topics, plant.SiteId, plant.GatewayId, topic))
        {
            return;
        }

        if (Interlocked.Increment(ref _quickAnswersPending) > _limits.MaxPendingBusyAnswers)
        {
            Interlocked.Decrement(ref _quickAnswersPending);
            statistics.CommandUnanswered();
            return;
        }

        var (command, _) = refusal.Code == CommandRefusal.TooLarge ? (null, null) : CommandIntake.Read(message.Payload.Span);
        var response = new CommandResponse { Id = command?.Id, Device = deviceId, Action = command?.Action ?? "unknown", Result = CommandResult.Rejected, Reason = refusal.Reason, Ts = clock.GetUtcNow() };
        Task sent;
        try
        {
            sent = mqtt.PublishAsync(Answer(topic, message.CorrelationData, response, MqttQualityOfService.AtMostOnce), CancellationToken.None);
        }
        catch (ArgumentException)
        {
            sent = Task.CompletedTask;
        }

        _ = sent.ContinueWith(_ => Interlocked.Decrement(ref _quickAnswersPending), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task SummariseIntakeAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(IntakeSummaryInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var code in _intakeRefusals.Keys)
                {
                    if (_intakeRefusals.TryRemove(code, out var count) && count > 0)
                    {
                        LogRefusedAtIntake(logger, count, code);
                        AppendEvent(
                            null,
                            $"{code}: {count.ToString(CultureInfo.InvariantCulture)} commands refused at the intake in the last {IntakeSummaryInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
                            new Dictionary<string, string>(StringComparer.Ordinal) { ["action"] = "unknown", ["result"] = "rejected", ["refusal"] = code },
                            new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["count"] = ReadingValue.Integer(count) });
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void AppendEvent(string? deviceId, string? message, Dictionary<string, string> attributes, Dictionary<string, ReadingValue>? values)
    {
        try
        {
            outbound.AppendEvent(new GatewayEvent
            {
                Kind = EventKinds.CommandResult,
                Ts = clock.GetUtcNow(),
                Device = Identifiers.IsValid(deviceId) ? deviceId : null,
                Message = message is null ? null : Truncate(message),
                Attributes = attributes,
                Values = values,
            });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            LogEventLost(logger, deviceId ?? "", ex.Message);
        }
    }

    private static MqttApplicationMessage Answer(string topic, ReadOnlyMemory<byte>? correlation, CommandResponse response, MqttQualityOfService qos) => new()
    {
        Topic = topic,
        Payload = JsonSerializer.SerializeToUtf8Bytes(response, CommandJson.Default.CommandResponse),
        CorrelationData = correlation,
        QualityOfService = qos,
        ContentType = "application/json",
        PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
    };

    /// <summary>The command's value as the event and the Api's audit show it: circuit, on, point, value, direction, time.</summary>
    public static string Describe(DeviceCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return string.Join(' ', new[]
        {
            command.Circuit is { } c ? $"circuit={c.ToString(CultureInfo.InvariantCulture)}" : null,
            command.On is { } on ? (on ? "on=true" : "on=false") : null,
            command.Point is { } p ? $"point={p}" : null,
            command.Value is { } v ? $"value={v.GetRawText()}" : null,
            command.Direction is { } d ? $"direction={d}" : null,
            command.Time is { } t ? $"time={CommandEnvelope.FormatTime(t)}" : null,
        }.Where(s => s is not null));
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400];

    private static string Shown(string text) => text.Length <= 80 ? text : text[..80];

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for commands on {Filter}")]
    private static partial void LogSubscribed(ILogger logger, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Action} on {Device} done (id {CommandId}, issuer {Issuer})")]
    private static partial void LogDone(ILogger logger, string device, string action, string commandId, string issuer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Action} on {Device} (id {CommandId}, issuer {Issuer}): {Result}: {Reason}")]
    private static partial void LogNotDone(ILogger logger, string device, string action, string commandId, string issuer, string result, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} commands at the intake as {Refusal} in the last second")]
    private static partial void LogRefusedAtIntake(ILogger logger, long count, string refusal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the command event of {Device}: {Reason}")]
    private static partial void LogEventLost(ILogger logger, string device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not answer on response topic {Topic}: {Reason}")]
    private static partial void LogResponseRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A command on {Topic} failed unexpectedly")]
    private static partial void LogHandlingFailed(ILogger logger, string topic, Exception exception);
}
