using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.Hosting;
using Telemetry.Mqtt;

namespace Telemetry.Api.Commands;

/// <summary>The gateway's answer (<c>CommandResponse</c>): <c>done</c>, <c>rejected</c> or <c>device_error</c>, and why.</summary>
public sealed record GatewayAnswer(string Result, string? Reason, DateTimeOffset At);

/// <summary>What became of sending a command: the gateway's answer, no answer in time, or no broker to send it through.</summary>
/// <param name="Answer">The gateway's answer; null when none came.</param>
/// <param name="Unsent">Why the command could not be sent (the broker cannot be reached); null when it was.</param>
/// <param name="GatewayState">The gateway's last retained state (<c>online</c>, <c>offline</c>), null when none was seen.</param>
public sealed record SendOutcome(GatewayAnswer? Answer, string? Unsent, string? GatewayState);

/// <summary>
/// Sends commands to gateways over MQTT 5 on <c>{root}/{site}/{gateway}/cmd/{device}</c> (QoS 1) in their envelope, with
/// a response topic of this process alone under the gateway's own tree (<c>{root}/{site}/{gateway}/reply/api-{instance}</c>,
/// the only place a gateway answers) and the command's id as correlation data, and waits for the answer there. It
/// connects on the first command (an Api without a broker still serves everything else) with a client id of its own and
/// a clean session: an answer that comes after the Api restarted has nobody waiting for it. It keeps every gateway's
/// retained state, so that a command that is not answered can say whether its gateway is known to be offline, and
/// follows the gateways' <c>command_result</c> events, so that a command audited as pending or timed out takes the
/// result the gateway reports later (a command queued while the gateway was offline, then refused as expired).
/// </summary>
public sealed partial class CommandSender(BrokerSettings broker, CommandAudit audit, TimeProvider clock, ILogger<CommandSender> logger, ILogger<MqttClient> mqttLogger) : IAsyncDisposable
{
    private readonly string instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private readonly ConcurrentDictionary<string, TaskCompletionSource<GatewayAnswer>> waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Site, string Gateway), string> states = new();
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Topics topics = new(broker.Root);
    private MqttClient? client;
    private Task? reading;

    /// <summary>This process as the requester of its reply topics: <c>api-{instance}</c>.</summary>
    public string Requester => $"api-{instance}";

    /// <summary>The topic the gateway of <paramref name="device"/> answers this process on.</summary>
    public string ResponseTopicFor(PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return topics.Reply(device.Site.Id, device.Gateway.Id, Requester);
    }

    /// <summary>Sends <paramref name="command"/> to <paramref name="device"/> in <paramref name="envelope"/>, its id as the correlation data, and waits up to <paramref name="timeout"/> for the answer.</summary>
    public async Task<SendOutcome> SendAsync(PlantDevice device, CheckedCommand command, CommandEnvelopeFields envelope, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(envelope);
        var id = envelope.Id;
        var mqtt = await ConnectedAsync(cancellationToken);
        if (mqtt.Client is null)
        {
            return new(null, mqtt.Problem, null);
        }

        var answer = new TaskCompletionSource<GatewayAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[id] = answer;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await mqtt.Client.PublishAsync(
                    new MqttApplicationMessage
                    {
                        Topic = topics.Command(device.Site.Id, device.Gateway.Id, device.Device.Id),
                        Payload = command.Payload(envelope),
                        QualityOfService = MqttQualityOfService.AtLeastOnce,
                        ResponseTopic = ResponseTopicFor(device),
                        CorrelationData = Encoding.UTF8.GetBytes(id),
                        ContentType = "application/json",
                        PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                    },
                    deadline.Token);
                return new(await answer.Task.WaitAsync(deadline.Token), null, StateOf(device));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new(null, null, StateOf(device));
            }
            catch (MqttClientDisconnectedException ex)
            {
                return new(null, $"the broker connection is closed: {ex.Message}", StateOf(device));
            }
        }
        finally
        {
            waiting.TryRemove(id, out _);
        }
    }

    /// <summary>The last retained state of the gateway that serves <paramref name="device"/>; null when none was seen.</summary>
    public string? StateOf(PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return states.GetValueOrDefault((device.Site.Id, device.Gateway.Id));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (client is not null)
        {
            await client.DisposeAsync();
        }

        if (reading is not null)
        {
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stopping.Dispose();
        connecting.Dispose();
    }

    private async Task<(MqttClient? Client, string? Problem)> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref client) is { } connected)
        {
            return (connected, null);
        }

        await connecting.WaitAsync(cancellationToken);
        try
        {
            if (client is not null)
            {
                return (client, null);
            }

            var candidate = new MqttClient(
                broker.ClientOptions($"{(broker.ClientId.Length > 0 ? broker.ClientId : "api")}-commands-{instance}") with
                {
                    CleanStart = true,
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                },
                mqttLogger);
            try
            {
                await candidate.ConnectAsync(cancellationToken);
                await candidate.SubscribeAsync(
                    [
                        new MqttSubscription { TopicFilter = topics.AllRepliesTo(Requester), MaximumQoS = MqttQualityOfService.AtLeastOnce },
                        new MqttSubscription { TopicFilter = topics.AllStates, MaximumQoS = MqttQualityOfService.AtLeastOnce },
                        new MqttSubscription { TopicFilter = topics.AllEvents, MaximumQoS = MqttQualityOfService.AtLeastOnce },
                    ],
                    cancellationToken);
            }
            catch (Exception ex) when (ex is MqttConnectException or MqttClientDisconnectedException or IOException or TimeoutException)
            {
                await candidate.DisposeAsync();
                LogBrokerUnavailable(logger, broker.Host, broker.Port, ex.Message);
                return (null, $"the broker {broker.Host}:{broker.Port} cannot be reached: {ex.Message}");
            }

            reading = Task.Run(() => ReadAsync(candidate, stopping.Token), CancellationToken.None);
            Volatile.Write(ref client, candidate);
            return (candidate, null);
        }
        finally
        {
            connecting.Release();
        }
    }

    private async Task ReadAsync(MqttClient mqtt, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var received in mqtt.Messages.ReadAllAsync(cancellationToken))
            {
                var message = received.Message;
                switch (topics.Parse(message.Topic))
                {
                    case { Kind: GatewayTopicKind.Reply } reply when reply.Device == Requester:
                        Answered(message);
                        break;
                    case { Kind: GatewayTopicKind.State } topic when StateIn(message.Payload.Span) is { } state:
                        states[(topic.Site, topic.Gateway)] = state;
                        break;
                    case { Kind: GatewayTopicKind.Event } gateway when LateResultIn(message.Payload.Span) is { } late && !waiting.ContainsKey(late.Id):
                        await CompleteLateAsync(gateway, late, cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Answered(MqttApplicationMessage message)
    {
        if (message.CorrelationData is not { } correlation || correlation.Length > 64)
        {
            return;
        }

        var id = Encoding.UTF8.GetString(correlation.Span);
        if (!waiting.TryGetValue(id, out var answer))
        {
            // Answered after its wait ended (audited as timed out), or the answer of another process's command.
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(message.Payload);
            var root = document.RootElement;
            var result = root.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "unknown";
            var reason = root.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
            var at = root.TryGetProperty("ts", out var ts) && ts.ValueKind == JsonValueKind.String && ts.TryGetDateTimeOffset(out var time) ? time : clock.GetUtcNow();
            answer.TrySetResult(new GatewayAnswer(result, reason, at));
        }
        catch (JsonException ex)
        {
            answer.TrySetResult(new GatewayAnswer("unknown", $"the gateway's answer is not JSON: {ex.Message}", clock.GetUtcNow()));
        }
    }

    private async Task CompleteLateAsync(GatewayTopic gateway, LateResult late, CancellationToken cancellationToken)
    {
        try
        {
            if (await audit.LateResultAsync(late.Id, late.Result, late.Reason, late.At, cancellationToken))
            {
                LogLateResult(logger, late.Id, gateway.Gateway, late.Result, late.Reason ?? "");
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            LogLateResultLost(logger, late.Id, ex.Message);
        }
    }

    /// <summary>A gateway's <c>command_result</c> event for one command: its id, result, reason and time; null for any other event.</summary>
    private static LateResult? LateResultIn(ReadOnlySpan<byte> payload)
    {
        GatewayEvent? gatewayEvent;
        try
        {
            gatewayEvent = JsonSerializer.Deserialize(payload, ContractsJson.Default.GatewayEvent);
        }
        catch (JsonException)
        {
            return null;
        }

        return gatewayEvent is { Kind: EventKinds.CommandResult, Attributes: { } attributes }
            && attributes.TryGetValue("command_id", out var id) && Identifiers.IsValid(id)
            && attributes.TryGetValue("result", out var result) && result is "done" or "rejected" or "device_error"
            ? new LateResult(id, result, gatewayEvent.Message, gatewayEvent.Ts)
            : null;
    }

    private sealed record LateResult(string Id, string Result, string? Reason, DateTimeOffset At);

    private static string? StateIn(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
                && state.GetString() is "online" or "offline"
                ? state.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Id} completed late from gateway {Gateway}'s event: {Result} {Reason}")]
    private static partial void LogLateResult(ILogger logger, string id, string gateway, string result, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The late result of command {Id} could not be audited: {Reason}")]
    private static partial void LogLateResultLost(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commands cannot be sent: the broker {Host}:{Port} cannot be reached: {Reason}")]
    private static partial void LogBrokerUnavailable(ILogger logger, string host, int port, string reason);
}
