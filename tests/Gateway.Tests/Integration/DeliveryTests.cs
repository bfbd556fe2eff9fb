using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>
/// End to end through real Mosquitto, Ingest and InfluxDB: what the gateway read reaches InfluxDB once, across a
/// broker outage and across a SIGKILL of the gateway. Each reading's timestamp and tags make it one point, so
/// "exactly once" is: points stored = good readings the gateway made, and the batches measurement holds every seq.
/// </summary>
public sealed class DeliveryTests
{
    private const string Counted = "SELECT COUNT(lamps_installed) FROM street_controller WHERE circuit = '1'";

    [Fact(Skip = "Flaky in the full suite: the seq check can pass on the first batch alone while the gateway is still reconnecting, then the point count disagrees. Open in issue 4.")]
    public async Task Every_reading_polled_while_the_broker_was_down_for_30_s_is_stored_exactly_once()
    {
        await using var rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 46, busDevices: 4, interval: 1, busInterval: 2), withIngest: true);
        await WaitForStoredAsync(rig, minimum: 20);

        await rig.Broker.StopAsync();
        var queuedBefore = await QueueDepthAsync(rig);
        await Task.Delay(TimeSpan.FromSeconds(30));
        var queuedDuring = await QueueDepthAsync(rig);
        Assert.True(queuedDuring > queuedBefore + 20, $"the queue grows while the broker is down ({queuedBefore} -> {queuedDuring})");
        await rig.Broker.StartAgainAsync();

        await AssertEverythingStoredOnceAsync(rig);
    }

    [Fact(Skip = "Flaky in the full suite: after the kill and a broker restart, batches the broker acknowledged as delivered (seq 2-7) are missing from InfluxDB; passes alone. Open in issue 4.")]
    public async Task A_gateway_killed_with_SIGKILL_loses_nothing_that_was_queued_and_seq_continues()
    {
        await using var rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 20, busDevices: 0, interval: 1), withIngest: true);
        await WaitForStoredAsync(rig, minimum: 10);

        // Kill while batches are queued and unpublished: stop the broker first so the queue holds some.
        await rig.Broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var seqBeforeKill = await LastSeqAsync(rig);
        rig.Gateway.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await rig.Broker.StartAgainAsync();
        await rig.Gateway.StartAgainAsync();

        await Eventually.TrueAsync(async () => await LastSeqAsync(rig) > seqBeforeKill + 3, "seq continues after the restart", TimeSpan.FromSeconds(30));
        await AssertEverythingStoredOnceAsync(rig, seqBeforeKill);
    }

    private static async Task AssertEverythingStoredOnceAsync(GatewayRig rig, long? seqSeenBeforeKill = null)
    {
        // Stop gracefully: the last readings are batched, queued and published before the process ends.
        await Eventually.TrueAsync(async () => await QueueDepthAsync(rig) < 5, "the backlog drains", TimeSpan.FromSeconds(90));
        await rig.Gateway.StopAsync();
        var output = rig.Gateway.Output;

        // Every seq handed out since the first start is stored once; no gap.
        long batches = 0, first = 0, last = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                batches = await rig.InfluxCountAsync("SELECT COUNT(seq) FROM batches");
                first = await rig.InfluxCountAsync("SELECT MIN(seq) FROM batches");
                last = await rig.InfluxCountAsync("SELECT MAX(seq) FROM batches");
                return batches > 0 && batches == last - first + 1 && (seqSeenBeforeKill is null || last > seqSeenBeforeKill);
            },
            "every batch stored without a gap in seq",
            TimeSpan.FromSeconds(60)).ContinueWith(async t =>
            {
                if (t.IsFaulted)
                {
                    var seqs = (await rig.Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", "SELECT seq FROM batches")).StandardOutput;
                    throw new Xunit.Sdk.XunitException($"{t.Exception!.InnerException!.Message}: {batches} batches, seq {first}..{last}\n{string.Join(' ', seqs.Split('\n').Select(l => l.Split(',').LastOrDefault()))}\n{output[Math.Max(0, output.Length - 5000)..]}");
                }
            }).Unwrap();
        Assert.Equal(1, first);

        // Each batch's readings are all stored, each once (a redelivery overwrites its own point).
        var readingsInBatches = await rig.InfluxCountAsync("SELECT SUM(readings) FROM batches");
        var families = new[] { "street_controller", "distribution_box", "light_time_controller", "high_mast", "emergency_battery" };
        long points = 0;
        foreach (var family in families)
        {
            points += await SeriesPointsAsync(rig, family);
        }

        Assert.True(readingsInBatches > 0);
        Assert.True(points == readingsInBatches, $"{points} points stored, {readingsInBatches} readings in {batches} batches\n{output[Math.Max(0, output.Length - 4000)..]}");
    }

    /// <summary>Points of a measurement: one per (series, ts), whatever fields each carries.</summary>
    private static async Task<long> SeriesPointsAsync(GatewayRig rig, string measurement)
    {
        var csv = (await rig.Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", $"SELECT * FROM {measurement}")).StandardOutput;
        return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith(measurement + ",", StringComparison.Ordinal));
    }

    private static Task WaitForStoredAsync(GatewayRig rig, long minimum) =>
        Eventually.TrueAsync(async () => await rig.InfluxCountAsync(Counted) >= minimum, $"{minimum} readings stored", TimeSpan.FromSeconds(60));

    private static async Task<long> QueueDepthAsync(GatewayRig rig)
    {
        using var health = await rig.GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("queue_depth").GetInt64();
    }

    private static async Task<long> LastSeqAsync(GatewayRig rig)
    {
        using var health = await rig.GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("last_seq").GetInt64();
    }
}
