using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Publishing;
using Telemetry.Hosting;
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Replay;

/// <summary>
/// Answers consumer groups that missed batches: a request on <c>{root}/{site}/{gateway}/replay/{group}</c> (which the broker
/// lets only that group's principal publish) names a seq range; the batches of it still in the <see cref="BatchArchive"/>
/// are published again, unchanged and marked with the request's id, on <c>replayed/{group}</c> (which only that group
/// reads), then a <see cref="ReplaySummary"/> with the count and the ranges no longer held. A request that is not valid JSON,
/// asks for too much, has expired or finds the inbox full is refused in its summary, counted per reason, and the next is
/// taken. Requests are worked one at a time, so a replay never competes with itself for the link to the broker.
/// </summary>
public sealed partial class ReplayService(
    IMqttClient mqtt,
    BatchArchive archive,
    SiteConfiguration site,
    Topics topics,
    GatewaySettings settings,
    TimeProvider clock,
    ILogger<ReplayService> logger) : BackgroundService, IHealthSource
{
    private const int ReadChunk = 256;
    private readonly Channel<MqttApplicationMessage> _inbox = Channel.CreateBounded<MqttApplicationMessage>(
        new BoundedChannelOptions(settings.Replay.MaxQueuedRequests) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);
    private long _answered;
    private long _replayed;
    private long _missing;

    public string Name => "replay";

    public HealthVerdict Verdict => HealthVerdict.Healthy;

    /// <summary>The reader's part: true when the message is a replay request for this gateway (queued, or refused as busy).</summary>
    public bool TryTake(MqttApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var plant = site.Current;
        if (topics.Parse(message.Topic) is not { Kind: GatewayTopicKind.Replay } topic || topic.Site != plant.SiteId || topic.Gateway != plant.GatewayId)
        {
            return false;
        }

        if (!_inbox.Writer.TryWrite(message))
        {
            var id = TryRead(message.Payload.Span)?.Id ?? "";
            _ = AnswerAsync(topic.Device!, Refusal(id, "busy", $"{settings.Replay.MaxQueuedRequests} replay requests are waiting; ask again later"), CancellationToken.None);
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (mqtt.State != MqttConnectionState.Connected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, stoppingToken);
            }

            var plant = site.Current;
            var filter = $"{topics.Root}/{plant.SiteId}/{plant.GatewayId}/replay/+";
            await mqtt.SubscribeAsync([new MqttSubscription { TopicFilter = filter, MaximumQoS = MqttQualityOfService.AtLeastOnce }], stoppingToken);
            LogListening(logger, filter);
            await foreach (var message in _inbox.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(message, stoppingToken);
                }
                catch (MqttClientDisconnectedException ex)
                {
                    // The consumer asks again when the gap stays open; nothing is lost by dropping this answer.
                    LogDisconnected(logger, message.Topic, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Checks one request and sends what it asks for, then its summary.</summary>
    public async Task HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (topics.Parse(message.Topic) is not { Kind: GatewayTopicKind.Replay, Device: { } group })
        {
            return;
        }

        var limits = settings.Replay;
        var now = clock.GetUtcNow();
        var request = TryRead(message.Payload.Span, out var problem);
        ReplaySummary? refusal = request switch
        {
            null => Refusal("", "invalid", problem ?? "not a replay request"),
            { V: not 1 } => Refusal(request.Id, "invalid", $"version {request.V} is not known; this gateway speaks 1"),
            _ when string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 64 => Refusal("", "invalid", "id must be 1 to 64 characters"),
            _ when request.From < 1 || request.To < request.From => Refusal(request.Id, "invalid", string.Create(CultureInfo.InvariantCulture, $"from ({request.From}) must be at least 1 and at most to ({request.To})")),
            _ when request.To - request.From + 1 > limits.MaxBatchesPerRequest => Refusal(request.Id, "too_many", string.Create(CultureInfo.InvariantCulture, $"{request.To - request.From + 1} batches asked; at most {limits.MaxBatchesPerRequest} per request")),
            _ when request.Expires <= now => Refusal(request.Id, "expired", string.Create(CultureInfo.InvariantCulture, $"expired at {request.Expires:O}")),
            _ when request.Issued > now + settings.Commands.ClockSkew => Refusal(request.Id, "invalid", string.Create(CultureInfo.InvariantCulture, $"issued at {request.Issued:O}, later than the gateway's clock allows")),
            _ => null,
        };
        if (refusal is not null || request is null)
        {
            await AnswerAsync(group, refusal ?? Refusal("", "invalid", "not a replay request"), cancellationToken);
            return;
        }

        var sent = 0L;
        var found = new List<long>();
        for (var first = request.From; first <= request.To; first += ReadChunk)
        {
            var last = Math.Min(request.To, first + ReadChunk - 1);
            foreach (var batch in archive.Read(first, last))
            {
                if (OutboundQueue.Open(batch.Record) is not ({ } kind, var json) || kind != OutboundKind.Telemetry)
                {
                    continue;
                }

                await mqtt.PublishAsync(
                    new MqttApplicationMessage
                    {
                        Topic = topics.Replayed(site.Current.SiteId, site.Current.GatewayId, group),
                        Payload = json,
                        QualityOfService = MqttQualityOfService.AtLeastOnce,
                        PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                        ContentType = "application/json",
                        UserProperties = [new MqttUserProperty(ReplayProperties.Replay, request.Id)],
                    },
                    cancellationToken);
                found.Add(batch.Seq);
                sent++;
            }
        }

        var missing = Missing(request.From, request.To, found);
        Interlocked.Increment(ref _answered);
        Interlocked.Add(ref _replayed, sent);
        Interlocked.Add(ref _missing, missing.Sum(r => r[1] - r[0] + 1));
        LogReplayed(logger, group, request.From, request.To, sent, missing.Count);
        await AnswerAsync(
            group,
            new ReplaySummary { Id = request.Id, From = request.From, To = request.To, Sent = sent, Missing = missing, HeldFrom = archive.Held?.First, HeldTo = archive.Held?.Last },
            cancellationToken);
    }

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("answered", Interlocked.Read(ref _answered));
        writer.WriteNumber("batches_sent", Interlocked.Read(ref _replayed));
        writer.WriteNumber("batches_not_held", Interlocked.Read(ref _missing));
        writer.WriteStartObject("refused");
        foreach (var (reason, count) in _refused.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        var held = archive.Held;
        writer.WritePropertyName("archive");
        writer.WriteStartObject();
        if (held is { } range)
        {
            writer.WriteNumber("first_seq", range.First);
            writer.WriteNumber("last_seq", range.Last);
        }

        writer.WriteNumber("bytes", archive.Bytes);
        writer.WriteNumber("dropped", archive.Dropped);
        writer.WriteNumber("failed", archive.Failed);
        writer.WriteEndObject();
    }

    /// <summary>The ranges of <paramref name="from"/>..<paramref name="to"/> not in <paramref name="found"/> (ascending).</summary>
    public static IReadOnlyList<long[]> Missing(long from, long to, IReadOnlyList<long> found)
    {
        var missing = new List<long[]>();
        var next = from;
        foreach (var seq in found)
        {
            if (seq > next)
            {
                missing.Add([next, seq - 1]);
            }

            next = Math.Max(next, seq + 1);
        }

        if (next <= to)
        {
            missing.Add([next, to]);
        }

        return missing;
    }

    private ReplaySummary Refusal(string id, string reason, string detail)
    {
        _refused.AddOrUpdate(reason, 1, (_, n) => n + 1);
        LogRefused(logger, reason, detail);
        return new ReplaySummary { Id = id, Refused = reason, Detail = detail };
    }

    private async Task AnswerAsync(string group, ReplaySummary summary, CancellationToken cancellationToken)
    {
        try
        {
            await mqtt.PublishAsync(
                new MqttApplicationMessage
                {
                    Topic = topics.Replayed(site.Current.SiteId, site.Current.GatewayId, group),
                    Payload = JsonSerializer.SerializeToUtf8Bytes(summary, ContractsJson.Default.ReplaySummary),
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                    PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                    ContentType = "application/json",
                    UserProperties = [new MqttUserProperty(ReplayProperties.Summary, summary.Id)],
                },
                cancellationToken);
        }
        catch (MqttClientDisconnectedException ex)
        {
            LogDisconnected(logger, group, ex.Message);
        }
    }

    private static ReplayRequest? TryRead(ReadOnlySpan<byte> payload) => TryRead(payload, out _);

    private static ReplayRequest? TryRead(ReadOnlySpan<byte> payload, out string? problem)
    {
        problem = null;
        try
        {
            return JsonSerializer.Deserialize(payload, ContractsJson.Default.ReplayRequest);
        }
        catch (JsonException ex)
        {
            problem = $"not a replay request: {ex.Message}";
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for replay requests on {Filter}")]
    private static partial void LogListening(ILogger logger, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed to {Group} batches {From} to {To}: {Sent} sent, {MissingRanges} ranges no longer held")]
    private static partial void LogReplayed(ILogger logger, string group, long from, long to, long sent, int missingRanges);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay request refused ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay on {Topic} cut short, the broker went away: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string topic, string reason);
}
