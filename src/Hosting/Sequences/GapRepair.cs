using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Mqtt;

namespace Telemetry.Hosting.Sequences;

/// <summary>
/// Makes a consumer group's delivery end to end. The consumer tells it each batch it has handled (stored, judged); it keeps
/// the numbers per gateway in a <see cref="SequenceTracker"/> saved to a file, and a gap that stays open past the grace time
/// is asked of its gateway again on <c>replay/{group}</c> (MQTT 5 request/response, correlated by the request's id). The
/// batches come back on <c>replayed/{group}</c>, which only this group reads, and are handled like any other; the
/// gateway's summary names what it no longer holds, and those batches, like a gap asked for too often, are given up: counted,
/// shown on the health and reported on <c>{root}/datagap/{group}</c> for a data-gap ticket, never silently accepted.
/// The state is saved only while no report waits to be published, so a crash can lose neither a number nor a report: a
/// gap given up and not yet reported is still open in the file, and found and given up again after the restart.
/// </summary>
public sealed partial class GapRepair(
    IMqttClient mqtt,
    Topics topics,
    string group,
    SequenceSettings settings,
    TimeProvider clock,
    ILogger<GapRepair> logger) : IHealthSource
{
    private const int MaxShown = 8;

    private readonly SequenceTrackerFile _file = new(settings.File);
    private readonly ConcurrentQueue<DataGapReport> _reports = new();
    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DataGapReport> _recentlyLost = new();
    private SequenceTracker _tracker = new();
    private string? _loadProblem;
    private string? _saveProblem;
    private long _changes;
    private long _saved;
    private long _requested;
    private long _replayed;
    private long _summaries;
    private long _foundElsewhere;
    private long _reported;
    private long _skipped;
    private long _handled;
    private long _forgotten;

    /// <summary>
    /// Where a member of a group sharing the stream finds the batches another member handled, before asking for them (Ingest:
    /// the <c>batches</c> measurement); null when each member keeps to itself.
    /// </summary>
    public Func<GatewayStream, SequenceRange, CancellationToken, Task<IReadOnlyList<long>>>? FindHandled { get; init; }

    public string Name => "sequences";

    public SequenceTracker Tracker => _tracker;

    /// <summary>The group's replays, shared among its members as the stream is.</summary>
    public MqttSubscription Subscription => new()
    {
        TopicFilter = Topics.Shared(group, topics.AllReplayedTo(group)),
        MaximumQoS = MqttQualityOfService.AtLeastOnce,
    };

    public HealthVerdict Verdict
    {
        get
        {
            var verdict = HealthVerdict.Healthy
                .When(_saveProblem is not null, HealthStatus.Degraded, $"the handled batch numbers cannot be saved: {_saveProblem}")
                .When(_loadProblem is not null, HealthStatus.Degraded, _loadProblem ?? "")
                .When(!_reports.IsEmpty, HealthStatus.Degraded, $"{_reports.Count} data-gap reports wait for the broker");
            var now = clock.GetUtcNow();
            var stuck = _tracker.OpenGaps().Where(g => g.OpenSince != default && now - g.OpenSince > settings.Grace + settings.Retry + settings.Retry).ToList();
            if (stuck.Count > 0)
            {
                verdict = verdict.And(new HealthVerdict(HealthStatus.Degraded, [.. stuck.Take(MaxShown).Select(g => string.Create(CultureInfo.InvariantCulture,
                    $"batches {g.Missing} of {g.Stream} missing for {(now - g.OpenSince).TotalSeconds:0} s, asked {g.Requested} times"))]));
            }

            var lost = _recentlyLost.Where(r => now - r.At <= settings.LostShownFor).Take(MaxShown).ToList();
            return lost.Count == 0 ? verdict : verdict.And(new HealthVerdict(HealthStatus.Degraded, [.. lost.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"batches {r.First}-{r.Last} of {r.Site}/{r.Gateway} lost ({r.Reason}) at {r.At:u}; a data-gap ticket is opened for them"))]));
        }
    }

    /// <summary>Reads the saved state; a file that cannot be read is moved aside and named on the health.</summary>
    public void Load()
    {
        _tracker = _file.Load(out var problem);
        if (problem is not null)
        {
            _loadProblem = problem;
            LogUnreadable(logger, problem);
        }

        var open = _tracker.OpenGaps();
        LogLoaded(logger, group, _file.Path, _tracker.Snapshot().Streams?.Count ?? 0, open.Count);
    }

    /// <summary>Whether the batch was handled already: Rules judges a batch once.</summary>
    public bool IsHandled(GatewayTopic topic, long seq, DateTimeOffset sent) => _tracker.IsHandled(new GatewayStream(topic.Site, topic.Gateway), seq, sent);

    /// <summary>A batch seen again after it was handled, and not handled again.</summary>
    public void Skipped() => Interlocked.Increment(ref _skipped);

    /// <summary>The consumer has handled batch <paramref name="seq"/> of the topic's gateway (stored it, judged it, or set it aside for good).</summary>
    public void Handled(GatewayTopic topic, long seq, DateTimeOffset sent, bool replayed)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var stream = new GatewayStream(topic.Site, topic.Gateway);
        var now = clock.GetUtcNow();
        var arrival = _tracker.Handle(stream, seq, sent, now, out var lost);
        if (arrival != SequenceArrival.Seen)
        {
            Interlocked.Increment(ref _handled);
        }

        if (replayed)
        {
            Interlocked.Increment(ref _replayed);
        }

        foreach (var range in lost)
        {
            Report(stream, range, arrival == SequenceArrival.Restarted ? DataGapReasons.Restarted : DataGapReasons.TooManyGaps, now, now);
        }

        if (arrival == SequenceArrival.Restarted)
        {
            LogRestarted(logger, stream.ToString(), seq, lost.Sum(r => r.Count));
        }

        Interlocked.Increment(ref _changes);
    }

    /// <summary>Whether the message is a batch sent again for a replay.</summary>
    public static bool IsReplay(MqttApplicationMessage message) =>
        message.UserProperties.Any(p => p.Name == ReplayProperties.Replay);

    /// <summary>
    /// Takes the message if it is a replay's summary (on this group's replayed topic, marked as one): what the gateway no
    /// longer holds is given up; a refusal is counted (the gap stays open and is asked for again). False for anything else.
    /// </summary>
    public bool TryTakeSummary(MqttApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.UserProperties.Any(p => p.Name == ReplayProperties.Summary)
            || topics.Parse(message.Topic) is not { Kind: GatewayTopicKind.Replayed } topic)
        {
            return false;
        }

        Interlocked.Increment(ref _summaries);
        ReplaySummary? summary;
        try
        {
            summary = JsonSerializer.Deserialize(message.Payload.Span, ContractsJson.Default.ReplaySummary);
        }
        catch (JsonException ex)
        {
            Refused("unreadable");
            LogUnreadableSummary(logger, message.Topic, ex.Message);
            return true;
        }

        if (summary is null)
        {
            Refused("unreadable");
            return true;
        }

        if (summary.Refused is { } reason)
        {
            Refused(reason);
            LogSummaryRefused(logger, topic.Site, topic.Gateway, summary.From, summary.To, reason, summary.Detail ?? "");
            return true;
        }

        var stream = new GatewayStream(topic.Site, topic.Gateway);
        var now = clock.GetUtcNow();
        if (summary.HeldTo is { } heldTo && _tracker.Forget(stream, heldTo) is > 0 and var forgotten)
        {
            Interlocked.Add(ref _forgotten, forgotten);
            LogForgotten(logger, stream.ToString(), forgotten, heldTo);
        }

        foreach (var pair in summary.Missing)
        {
            // What lies above the newest batch the gateway holds was never sent: nothing of it is lost.
            if (pair is not [var first, var last] || first > last || (summary.HeldTo is { } newest && first > newest))
            {
                continue;
            }

            var range = new SequenceRange(first, summary.HeldTo is { } held ? Math.Min(last, held) : last);
            var since = _tracker.OpenGaps().Where(g => g.Stream == stream && g.Missing.First <= last && first <= g.Missing.Last).Select(g => g.OpenSince).DefaultIfEmpty(now).Min();
            var missing = _tracker.MissingWithin(stream, range);
            if (_tracker.Lost(stream, range) > 0)
            {
                foreach (var part in missing)
                {
                    Report(stream, part, DataGapReasons.NotHeld, since, now);
                }
            }
        }

        Interlocked.Increment(ref _changes);
        return true;
    }

    /// <summary>Asks for the gaps due, gives up those asked for too often, publishes reports, and saves the state; until stopped.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(settings.CheckInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await CheckAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogCheckFailed(logger, ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_reports.IsEmpty)
            {
                Save();
            }
        }
    }

    /// <summary>One round: the gaps due are asked for, reports published, the state saved.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (mqtt.State == MqttConnectionState.Connected)
        {
            var now = clock.GetUtcNow();
            foreach (var gap in _tracker.DueGaps(now, settings.Grace, settings.Retry, settings.MaxBatchesPerRequest))
            {
                await AskAsync(gap, now, cancellationToken);
            }

            await PublishReportsAsync(cancellationToken);
        }

        if (_reports.IsEmpty)
        {
            Save();
        }
    }

    private async Task AskAsync(SequenceGap gap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var range = gap.Missing;
        if (FindHandled is { } find)
        {
            try
            {
                var found = await find(gap.Stream, range, cancellationToken);
                foreach (var seq in found)
                {
                    Interlocked.Add(ref _foundElsewhere, _tracker.HandledElsewhere(gap.Stream, new SequenceRange(seq, seq)));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Not knowing costs only a replay of batches already stored, which storing again leaves as they are.
                LogFindFailed(logger, gap.Stream.ToString(), range.ToString(), ex.Message);
            }

            var left = _tracker.MissingWithin(gap.Stream, range);
            if (left.Count == 0)
            {
                Interlocked.Increment(ref _changes);
                return;
            }

            range = new SequenceRange(left[0].First, left[^1].Last);
        }

        if (gap.Requested > settings.MaxAsks)
        {
            var missing = _tracker.MissingWithin(gap.Stream, range);
            _tracker.Lost(gap.Stream, range);
            foreach (var part in missing)
            {
                Report(gap.Stream, part, DataGapReasons.Unanswered, gap.OpenSince, now);
            }

            return;
        }

        var request = new ReplayRequest
        {
            V = 1,
            Id = Guid.NewGuid().ToString("N"),
            From = range.First,
            To = range.Last,
            Issued = now,
            Expires = now + settings.RequestLifetime,
        };
        var replyTo = topics.Replayed(gap.Stream.Site, gap.Stream.Gateway, group);
        try
        {
            var result = await mqtt.PublishAsync(
                new MqttApplicationMessage
                {
                    Topic = topics.Replay(gap.Stream.Site, gap.Stream.Gateway, group),
                    Payload = JsonSerializer.SerializeToUtf8Bytes(request, ContractsJson.Default.ReplayRequest),
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                    PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                    ContentType = "application/json",
                    ResponseTopic = replyTo,
                    CorrelationData = Encoding.UTF8.GetBytes(request.Id),
                    MessageExpiryInterval = settings.RequestLifetime,
                },
                cancellationToken);
            if (!result.IsSuccess)
            {
                Refused($"broker_{result.ReasonCode}".ToLowerInvariant());
                LogAskFailed(logger, gap.Stream.ToString(), range.ToString(), $"the broker refused it ({result.ReasonCode} {result.ReasonString})");
                return;
            }

            Interlocked.Increment(ref _requested);
            LogAsked(logger, gap.Stream.ToString(), range.ToString(), (now - gap.OpenSince).TotalSeconds, gap.Requested);
        }
        catch (MqttClientDisconnectedException ex)
        {
            // Asked again after the retry time.
            LogAskFailed(logger, gap.Stream.ToString(), range.ToString(), ex.Message);
        }
    }

    private void Report(GatewayStream stream, SequenceRange range, string reason, DateTimeOffset since, DateTimeOffset at)
    {
        var report = new DataGapReport
        {
            Group = group,
            Site = stream.Site,
            Gateway = stream.Gateway,
            First = range.First,
            Last = range.Last,
            Reason = reason,
            Since = since,
            At = at,
        };
        _reports.Enqueue(report);
        _recentlyLost.Enqueue(report);
        while (_recentlyLost.Count > MaxShown && _recentlyLost.TryDequeue(out _))
        {
        }

        LogLost(logger, range.Count, stream.ToString(), range.ToString(), reason);
    }

    private async Task PublishReportsAsync(CancellationToken cancellationToken)
    {
        while (_reports.TryPeek(out var report))
        {
            try
            {
                var result = await mqtt.PublishAsync(
                    new MqttApplicationMessage
                    {
                        Topic = topics.DataGap(group),
                        Payload = JsonSerializer.SerializeToUtf8Bytes(report, ContractsJson.Default.DataGapReport),
                        QualityOfService = MqttQualityOfService.AtLeastOnce,
                        PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                        ContentType = "application/json",
                    },
                    cancellationToken);
                if (!result.IsSuccess)
                {
                    // Kept, and shown on the health, until the broker takes it: the account may lack the line for it.
                    LogReportFailed(logger, $"the broker refused it ({result.ReasonCode} {result.ReasonString})");
                    return;
                }
            }
            catch (MqttClientDisconnectedException ex)
            {
                LogReportFailed(logger, ex.Message);
                return;
            }

            _reports.TryDequeue(out _);
            Interlocked.Increment(ref _reported);
        }
    }

    private void Save()
    {
        var changes = Interlocked.Read(ref _changes);
        if (changes == Interlocked.Read(ref _saved))
        {
            return;
        }

        try
        {
            _file.Save(_tracker);
            Interlocked.Exchange(ref _saved, changes);
            _saveProblem = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_saveProblem is null)
            {
                LogSaveFailed(logger, _file.Path, ex.Message);
            }

            _saveProblem = ex.Message;
        }
    }

    private void Refused(string reason) => _refused.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var tracker = _tracker;
        writer.WriteString("group", group);
        writer.WriteString("file", _file.Path);
        writer.WriteNumber("handled", Interlocked.Read(ref _handled));
        writer.WriteNumber("gaps_opened", tracker.GapsOpened);
        writer.WriteNumber("recovered", tracker.Recovered);
        writer.WriteNumber("found_stored", Interlocked.Read(ref _foundElsewhere));
        writer.WriteNumber("duplicates", tracker.Duplicates);
        writer.WriteNumber("skipped", Interlocked.Read(ref _skipped));
        writer.WriteNumber("restarts", tracker.Restarts);
        writer.WriteNumber("forgotten", Interlocked.Read(ref _forgotten));
        writer.WriteNumber("lost", tracker.LostCount);
        writer.WriteNumber("replays_requested", Interlocked.Read(ref _requested));
        writer.WriteNumber("replayed_batches", Interlocked.Read(ref _replayed));
        writer.WriteNumber("replay_summaries", Interlocked.Read(ref _summaries));
        writer.WriteStartObject("replays_refused");
        foreach (var (reason, count) in _refused.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("data_gaps_reported", Interlocked.Read(ref _reported));
        writer.WriteNumber("data_gaps_waiting", _reports.Count);
        var open = tracker.OpenGaps();
        writer.WriteNumber("open_gaps", open.Count);
        writer.WriteNumber("open_batches", open.Sum(g => g.Missing.Count));
        writer.WriteStartArray("open");
        foreach (var gap in open.Take(MaxShown))
        {
            writer.WriteStartObject();
            writer.WriteString("gateway", gap.Stream.ToString());
            writer.WriteNumber("first", gap.Missing.First);
            writer.WriteNumber("last", gap.Missing.Last);
            if (gap.OpenSince != default)
            {
                writer.WriteString("since", gap.OpenSince);
            }

            writer.WriteNumber("asked", gap.Requested);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("streams");
        foreach (var stream in tracker.Snapshot().Streams ?? [])
        {
            // Every seq up to the floor handled; above it the ranges, up to the highest seen.
            writer.WriteStartObject();
            writer.WriteString("gateway", $"{stream.Site}/{stream.Gateway}");
            writer.WriteNumber("floor", stream.Floor);
            writer.WriteNumber("highest", stream.Ranges is [.., [_, var highest]] ? highest : stream.Floor);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("last_lost");
        foreach (var lost in _recentlyLost)
        {
            writer.WriteStartObject();
            writer.WriteString("gateway", $"{lost.Site}/{lost.Gateway}");
            writer.WriteNumber("first", lost.First);
            writer.WriteNumber("last", lost.Last);
            writer.WriteString("reason", lost.Reason);
            writer.WriteString("at", lost.At);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {Group} follows batch numbers in {File}: {Gateways} gateways, {OpenGaps} gaps open")]
    private static partial void LogLoaded(ILogger logger, string group, string file, int gateways, int openGaps);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void LogUnreadable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {Gateway} began its numbering again at {Seq}; {Lost} batches missing before it are lost")]
    private static partial void LogRestarted(ILogger logger, string gateway, long seq, long lost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked {Gateway} for batches {Range} again (missing {Seconds:F0} s, asked {Times} times before)")]
    private static partial void LogAsked(ILogger logger, string gateway, string range, double seconds, int times);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask {Gateway} for batches {Range}: {Reason}; asking again later")]
    private static partial void LogAskFailed(ILogger logger, string gateway, string range, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up which of batches {Range} of {Gateway} are stored: {Reason}; asking for all of them")]
    private static partial void LogFindFailed(ILogger logger, string gateway, string range, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A replay summary on {Topic} cannot be read: {Reason}")]
    private static partial void LogUnreadableSummary(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Site}/{Gateway} refused to replay batches {From} to {To} ({Reason}: {Detail}); asking again later")]
    private static partial void LogSummaryRefused(ILogger logger, string site, string gateway, long from, long to, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} batch numbers counted for {Gateway} lie above the newest it holds ({HeldTo}): they were not its own and are forgotten")]
    private static partial void LogForgotten(ILogger logger, string gateway, long count, long heldTo);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} batches of {Gateway} are lost ({Range}, {Reason}); a data-gap report is sent")]
    private static partial void LogLost(ILogger logger, long count, string gateway, string range, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a data-gap report: {Reason}; trying again")]
    private static partial void LogReportFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save the handled batch numbers to {File}: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for batch gaps failed ({ExceptionType}: {Reason}); trying again")]
    private static partial void LogCheckFailed(ILogger logger, string exceptionType, string reason);
}
