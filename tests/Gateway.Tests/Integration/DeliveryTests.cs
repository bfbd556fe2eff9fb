using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>
/// End to end through real Mosquitto, Ingest and InfluxDB: what the gateway queued reaches InfluxDB once, across a
/// broker outage and across a SIGKILL of the gateway. The gateway's side of the account is its own log of every
/// batch it queued (seq and readings) and, after a kill, the queue it left on disk; InfluxDB's side is the batches
/// measurement (seq, readings stored) and the reading points. Each reading is one point (its series and time), so
/// "each exactly once" is: every queued seq stored once with all its readings, and as many points as readings.
/// </summary>
/// <remarks>
/// These rigs run without the message recorder. Mosquitto 2.0.11 does not keep shared subscriptions across its
/// restart, so right after one only Ingest's resubscription makes the telemetry topic heard again; until then
/// the broker answers the gateway "no matching subscribers" and the gateway keeps the batch. A second,
/// non-shared subscriber back first would make the broker report those batches delivered while Ingest never
/// gets them.
/// </remarks>
public sealed class DeliveryTests
{
    private const string Counted = "SELECT COUNT(lamps_installed) FROM street_controller WHERE circuit = '1'";

    [Fact]
    public async Task Every_reading_polled_while_the_broker_was_down_for_30_s_is_stored_exactly_once()
    {
        await using var rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 46, busDevices: 4, interval: 1, busInterval: 2), withIngest: true, record: false);
        await WaitForStoredAsync(rig, minimum: 20);

        await rig.Broker.StopAsync();
        var outageStarted = DateTimeOffset.UtcNow;
        var seqWhenStopped = await LastSeqAsync(rig);
        await Task.Delay(TimeSpan.FromSeconds(30));
        var seqWhenStarted = await LastSeqAsync(rig);
        var outageEnded = DateTimeOffset.UtcNow;
        await rig.Broker.StartAgainAsync();

        var outage = Enumerable.Range(1, (int)(seqWhenStarted - seqWhenStopped)).Select(i => seqWhenStopped + i).ToList();
        Assert.True(outage.Count >= 5, $"the gateway queued batches during the outage (seq {seqWhenStopped}..{seqWhenStarted})\n{rig.Logs()}");

        var (_, stored, points) = await AssertEverythingQueuedIsStoredOnceAsync(rig);

        // The outage's own batches, each with all its readings, and a reading of every device from inside the window.
        var missing = outage.Except(stored.Select(b => b.Seq)).ToList();
        Assert.True(missing.Count == 0, $"batches queued during the outage missing from InfluxDB: seq {string.Join(' ', missing)}\n{rig.Logs()}");
        var from = outageStarted.ToUnixTimeMilliseconds();
        var to = outageEnded.ToUnixTimeMilliseconds();
        var silent = rig.Devices.Select(d => d.Id).Except(points.Where(p => p.TimeMs >= from && p.TimeMs <= to).Select(p => p.Device)).ToList();
        Assert.True(silent.Count == 0, $"no reading stored from inside the outage for {string.Join(", ", silent)}\n{rig.Logs()}");
    }

    [Fact]
    public async Task A_gateway_killed_with_SIGKILL_loses_nothing_that_was_queued_and_seq_continues()
    {
        await using var rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 20, busDevices: 0, interval: 1), withIngest: true, record: false);
        await WaitForStoredAsync(rig, minimum: 10);

        // Kill it with batches in its queue, some sent and unacknowledged, some not sent: a hung broker (SIGSTOP)
        // takes publishes and answers none. It stays up with its sessions and Ingest's subscription, because
        // what is tested is the gateway's own crash.
        rig.Broker.Pause();
        IReadOnlyList<QueuedBatch> pendingAtKill;
        long lastSeqBeforeKill;
        try
        {
            await Eventually.TrueAsync(async () => await QueueDepthAsync(rig) >= 3, "batches waiting in the queue", TimeSpan.FromSeconds(30));
            rig.Gateway.Kill();
            (pendingAtKill, lastSeqBeforeKill) = rig.StateLeftBehind();
        }
        finally
        {
            rig.Broker.Resume();
        }

        Assert.True(pendingAtKill.Count >= 3, $"{pendingAtKill.Count} batches were left in the queue by the kill\n{rig.Logs()}");
        var loggedBeforeKill = rig.QueuedBatches();
        await rig.Gateway.StartAgainAsync();
        await Eventually.TrueAsync(
            () => Task.FromResult(rig.QueuedBatches().Keys.Count(seq => seq > lastSeqBeforeKill) >= 3),
            "the restarted gateway queues new batches",
            TimeSpan.FromSeconds(30));

        var (queued, _, _) = await AssertEverythingQueuedIsStoredOnceAsync(rig, pendingAtKill);

        // seq continues where the killed process left it: the counter is on disk before a batch is appended.
        var firstAfterRestart = queued.Keys.Where(seq => !loggedBeforeKill.ContainsKey(seq) && pendingAtKill.All(p => p.Seq != seq)).Min();
        Assert.Equal(lastSeqBeforeKill + 1, firstAfterRestart);
    }

    [Fact]
    public async Task A_gateway_stopped_just_after_a_subscriber_came_back_hands_over_the_batches_nobody_had_heard()
    {
        // Nobody subscribed: the broker answers every publish "no matching subscribers", and the gateway keeps
        // each batch and sends it again after a pause. A stop during that pause must not leave those batches
        // behind when a subscriber is there again: the drain on stop sends them.
        await using var rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 8, busDevices: 0, interval: 1), record: false);
        await Eventually.TrueAsync(
            async () =>
            {
                using var health = await rig.GatewayHealthAsync();
                return health.RootElement.GetProperty("gateway").GetProperty("publishes_without_subscribers").GetInt64() >= 3;
            },
            "publishes answered without subscribers",
            TimeSpan.FromSeconds(30));

        await using var subscriber = await BrokerRecorder.StartAsync(rig.Broker, $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/telemetry");
        await rig.Gateway.StopAsync();

        var (left, _) = rig.StateLeftBehind();
        var queued = rig.QueuedBatches();
        Assert.True(left.Count == 0, $"left in the queue by the stop: seq {string.Join(' ', left.Select(b => b.Seq))}\n{rig.Logs()}");
        Assert.True(queued.Count >= 3, $"{queued.Count} batches queued\n{rig.Logs()}");
        List<long> unheard = [];
        await Eventually.TrueAsync(
            () =>
            {
                var heard = subscriber.Messages.Select(m => JsonSerializer.Deserialize(m.Payload.Span, ContractsJson.Default.ReadingBatch)!.Seq).ToHashSet();
                unheard = [.. queued.Keys.Where(seq => !heard.Contains(seq)).Order()];
                return Task.FromResult(unheard.Count == 0);
            },
            "every queued batch heard by the subscriber",
            TimeSpan.FromSeconds(10),
            () => $"never heard by the subscriber: seq {string.Join(' ', unheard)}\n{rig.Logs()}");
    }

    /// <summary>
    /// Stops the gateway once its backlog is drained, then checks: every batch it queued (logged, or found in the
    /// queue after a kill) is in InfluxDB once with all its readings, InfluxDB holds no other batch, seq has no
    /// gap but a value handed out just before a kill, and there are exactly as many points as readings.
    /// </summary>
    internal static async Task<(IReadOnlyDictionary<long, QueuedBatch> Queued, IReadOnlyList<QueuedBatch> Stored, IReadOnlyList<StoredPoint> Points)> AssertEverythingQueuedIsStoredOnceAsync(
        GatewayRig rig, IReadOnlyList<QueuedBatch>? pendingAtKill = null)
    {
        // Stopped gracefully: the last readings are batched, queued and published before the process ends.
        await Eventually.TrueAsync(async () => await QueueDepthAsync(rig) < 5, "the backlog drains", TimeSpan.FromSeconds(90));
        await rig.Gateway.StopAsync();
        var (leftQueued, _) = rig.StateLeftBehind();

        var queued = new Dictionary<long, QueuedBatch>(rig.QueuedBatches());
        foreach (var pending in pendingAtKill ?? [])
        {
            // Appended just before the kill, maybe before its log line was written.
            Assert.True(queued.TryAdd(pending.Seq, pending) || queued[pending.Seq] == pending, $"batch {pending.Seq} in the queue differs from the log");
        }

        var expected = queued.Keys.Where(seq => leftQueued.All(l => l.Seq != seq)).ToHashSet();
        IReadOnlyList<QueuedBatch> stored = [];
        await Eventually.TrueAsync(
            async () =>
            {
                stored = await rig.StoredBatchesAsync();
                return expected.IsSubsetOf(stored.Select(b => b.Seq));
            },
            "every queued batch stored",
            TimeSpan.FromSeconds(60),
            () => $"missing from InfluxDB: seq {string.Join(' ', expected.Except(stored.Select(b => b.Seq)).Order())}; stored: {string.Join(' ', stored.Select(b => b.Seq).Order())}\n{rig.Logs()}");

        var context = $"queued: {queued.Count} batches, seq {queued.Keys.Min()}..{queued.Keys.Max()}; left in the queue: {leftQueued.Count}\n{rig.Logs()}";
        var duplicated = stored.GroupBy(b => b.Seq).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicated.Count == 0, $"stored more than once: seq {string.Join(' ', duplicated)}\n{context}");
        var unknown = stored.Select(b => b.Seq).Where(seq => !queued.ContainsKey(seq)).ToList();
        Assert.True(unknown.Count == 0, $"stored but never queued: seq {string.Join(' ', unknown)}\n{context}");
        var shortOnes = stored.Where(b => b.Readings != queued[b.Seq].Readings).Select(b => $"{b.Seq}: {b.Readings} of {queued[b.Seq].Readings}").ToList();
        Assert.True(shortOnes.Count == 0, $"batches stored with another number of readings than queued: {string.Join(", ", shortOnes)}\n{context}");

        // Only a seq persisted by a killed process just before it could append its batch may be missing.
        var gaps = Enumerable.Range(1, (int)queued.Keys.Max()).Select(i => (long)i).Where(seq => !queued.ContainsKey(seq)).ToList();
        Assert.True(gaps.Count <= (pendingAtKill is null ? 0 : 1), $"seq gaps: {string.Join(' ', gaps)}\n{context}");

        var points = await rig.StoredPointsAsync();
        var readings = stored.Sum(b => (long)b.Readings);
        Assert.True(points.Count == readings, $"{points.Count} points stored for {readings} readings in {stored.Count} batches\n{context}");
        return (queued, stored, points);
    }

    internal static Task WaitForStoredAsync(GatewayRig rig, long minimum) =>
        Eventually.TrueAsync(async () => await rig.InfluxCountAsync(Counted) >= minimum, $"{minimum} readings stored", TimeSpan.FromSeconds(60));

    private static async Task<long> QueueDepthAsync(GatewayRig rig)
    {
        using var health = await rig.GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("queue_depth").GetInt64();
    }

    internal static async Task<long> LastSeqAsync(GatewayRig rig)
    {
        using var health = await rig.GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("last_seq").GetInt64();
    }
}
