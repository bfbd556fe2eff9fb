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
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Commands;

/// <summary>
/// Takes commands from <c>{root}/{site}/{gateway}/cmd/+</c>, checks them against the device's profile (only
/// writable points, values within their labels or range) before anything is written, carries them out on the
/// device's link between polls, answers on the MQTT 5 response topic with the correlation data, and records each
/// as a <c>command_result</c> event. A bad command is answered and counted; it never stops the service.
/// </summary>
public sealed partial class CommandService(
    IMqttClient mqtt,
    PollingService polling,
    BatteryTestRunner batteryTests,
    OutboundQueue outbound,
    SiteConfiguration site,
    Topics topics,
    GatewayStatistics statistics,
    TimeProvider clock,
    ILogger<CommandService> logger) : BackgroundService
{
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
            await foreach (var received in mqtt.Messages.ReadAllAsync(stoppingToken))
            {
                await HandleAsync(received.Message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Carries out one command message and answers it.</summary>
    public async Task HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (CommandIntake.DeviceOf(topics, site.Current, message.Topic) is not { } deviceId)
        {
            return;
        }

        DeviceCommand? command = null;
        CommandOutcome outcome;
        try
        {
            var target = polling.Find(deviceId);
            var decision = CommandIntake.Decide(message.Payload.Span, site.Current.GatewayId, deviceId, target?.Device, clock.GetUtcNow(), site.Current.Site.TimeZone);
            command = decision.Command;
            outcome = decision.Writes is { } writes
                ? await CarryOutAsync(target!.Value.Worker, target.Value.Device, command!, writes, cancellationToken)
                : CommandOutcome.Rejected(decision.Rejection!);
        }
        catch (JsonException ex)
        {
            outcome = CommandOutcome.Rejected($"the payload is not a valid command: {ex.Message}");
        }

        var action = command?.Action ?? "unknown";
        statistics.Command(outcome.ResultName);
        if (outcome.Result == CommandResult.Done)
        {
            LogDone(logger, deviceId, action);
        }
        else
        {
            LogNotDone(logger, deviceId, action, outcome.ResultName, outcome.Reason ?? "");
        }

        var now = clock.GetUtcNow();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["action"] = Truncate(action), ["result"] = outcome.ResultName };
        if (command?.Point is { } point)
        {
            attributes["point"] = Truncate(point);
        }

        if (command?.Id is { } id)
        {
            attributes["command_id"] = Truncate(id);
        }

        try
        {
            outbound.AppendEvent(new GatewayEvent
            {
                Kind = EventKinds.CommandResult,
                Ts = now,
                Device = Identifiers.IsValid(deviceId) ? deviceId : null,
                Message = outcome.Reason is { } reason ? Truncate(reason) : null,
                Attributes = attributes,
            });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            LogEventLost(logger, deviceId, ex.Message);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            var response = new CommandResponse { Id = command?.Id, Device = deviceId, Action = action, Result = outcome.Result, Reason = outcome.Reason, Ts = now };
            try
            {
                await mqtt.PublishAsync(
                    new MqttApplicationMessage
                    {
                        Topic = responseTopic,
                        Payload = JsonSerializer.SerializeToUtf8Bytes(response, CommandJson.Default.CommandResponse),
                        CorrelationData = message.CorrelationData,
                        QualityOfService = MqttQualityOfService.AtLeastOnce,
                        ContentType = "application/json",
                        PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                    },
                    cancellationToken);
            }
            catch (ArgumentException ex)
            {
                LogResponseRefused(logger, responseTopic, ex.Message);
            }
        }
    }

    private async Task<CommandOutcome> CarryOutAsync(LinkWorker worker, SiteDevice device, DeviceCommand command, IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken) =>
        command.Action switch
        {
            CommandPlanner.StartFunctionTest => await batteryTests.StartAsync(worker, device, BatteryTestKind.Function, writes, cancellationToken),
            CommandPlanner.StartDurationTest => await batteryTests.StartAsync(worker, device, BatteryTestKind.Duration, writes, cancellationToken),
            _ => await DeviceWriter.WriteAsync(worker, device, writes, cancellationToken),
        };

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400];

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for commands on {Filter}")]
    private static partial void LogSubscribed(ILogger logger, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Action} on {Device} done")]
    private static partial void LogDone(ILogger logger, string device, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Action} on {Device}: {Result}: {Reason}")]
    private static partial void LogNotDone(ILogger logger, string device, string action, string result, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the command event of {Device}: {Reason}")]
    private static partial void LogEventLost(ILogger logger, string device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not answer on response topic {Topic}: {Reason}")]
    private static partial void LogResponseRefused(ILogger logger, string topic, string reason);
}
