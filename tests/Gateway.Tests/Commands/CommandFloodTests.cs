using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Mqtt;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Gateway.Tests.Commands;

/// <summary>
/// A flood of commands against the real native gateway, the simulator and Mosquitto: the gateway refuses what its
/// inbox cannot hold as busy, and its telemetry keeps flowing. Figures are printed, not timed.
/// </summary>
public sealed class CommandFloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Commands = 10_000;

    // The gateway's memory target (bench/Bench/GatewayMemoryBenchmark.cs: 80 MiB resident for 200 devices).
    private const double MemoryLimitMiB = 80;
    private const string Controller = "tcp-002";
    private GatewayRig rig = null!;

    public async Task InitializeAsync() => rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 4, busDevices: 0, interval: 1));

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_commands_in_a_burst_lose_no_telemetry_batch_and_the_gateway_stays_within_its_memory_target()
    {
        Assert.True(rig.Gateway.ProcessId is not null, "the gateway runs");
        var pid = rig.Gateway.ProcessId!.Value;
        await using var telemetry = await TelemetryWatch.StartAsync(rig.Broker);
        var firstSeq = await Eventually.ValueAsync(() => Task.FromResult(telemetry.FirstSeq), s => s is not null, "a first telemetry batch");
        using var before = await rig.GatewayHealthAsync();
        var commandsBefore = CommandCount(before);

        using var sampling = new CancellationTokenSource();
        var peakRss = 0.0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, Memory(pid).RssMiB);
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
        });

        await using var flooder = new MqttClient(rig.Broker.ClientOptions("api") with { ClientId = "flood-" + Guid.NewGuid().ToString("N")[..8] });
        await flooder.ConnectAsync(CancellationToken.None);
        var burstStart = DateTimeOffset.UtcNow;
        var publishes = new List<Task>(Commands);
        for (var i = 0; i < Commands; i++)
        {
            var payload = BrokerRecorder.WithEnvelope(string.Create(CultureInfo.InvariantCulture, $$"""{"action":"switch","circuit":{{(i % 4) + 1}},"on":{{(i % 2 == 0 ? "true" : "false")}}}"""), TimeSpan.FromMinutes(5));
            publishes.Add(flooder.PublishAsync(
                new MqttApplicationMessage
                {
                    Topic = $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/cmd/{Controller}",
                    Payload = Encoding.UTF8.GetBytes(payload),
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                    ResponseTopic = BrokerRecorder.ReplyTopic,
                    CorrelationData = BitConverter.GetBytes(i),
                },
                CancellationToken.None));
        }

        await Task.WhenAll(publishes);
        var burstPublished = DateTimeOffset.UtcNow;

        // Commands are taken in order: once a command sent after the burst is done, every one before it was handled.
        await Eventually.TrueAsync(
            async () => Result(await rig.Recorder.CommandAsync(Controller, """{"action":"resume_schedule"}""", TimeSpan.FromSeconds(60))) == "done",
            "a command after the burst is done",
            TimeSpan.FromMinutes(3));
        var handled = DateTimeOffset.UtcNow;
        await sampling.CancelAsync();
        await sampler;

        using var after = await rig.GatewayHealthAsync();
        var gateway = after.RootElement.GetProperty("gateway");
        var lastSeq = gateway.GetProperty("last_seq").GetInt64();
        await Eventually.TrueAsync(() => Task.FromResult(telemetry.Seqs.Contains(lastSeq)), $"telemetry batch {lastSeq} at the subscriber", TimeSpan.FromMinutes(2));

        var missing = Enumerable.Range(0, (int)(lastSeq - firstSeq!.Value + 1)).Select(n => firstSeq.Value + n).Where(s => !telemetry.Seqs.Contains(s)).ToList();
        var (rss, hwm) = Memory(pid);
        var commands = gateway.GetProperty("commands");
        var refusals = gateway.GetProperty("command_refusals");
        var done = Count(commands, "done");
        var busy = Count(refusals, "busy");
        var latencies = telemetry.Latencies(burstStart, handled);
        var quiet = telemetry.Latencies(DateTimeOffset.MinValue, burstStart);
        output.WriteLine($"burst: {Commands} commands published in {(burstPublished - burstStart).TotalSeconds:F1} s, all handled {(handled - burstStart).TotalSeconds:F1} s after the first");
        output.WriteLine($"commands: {CommandCount(after) - commandsBefore} handled by the gateway: {done} done, {busy} refused busy, {Count(refusals, "too_large")} too large, {Count(commands, "device_error")} device errors; busy answers not sent (too many pending): {gateway.GetProperty("commands_unanswered").GetInt64()}");
        output.WriteLine($"telemetry during the burst: {latencies.Count} batches, publish latency (sent -> subscriber) p50 {Percentile(latencies, 0.5):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {(latencies.Count > 0 ? latencies.Max() : 0):F0} ms; seq {firstSeq}..{lastSeq}, {missing.Count} missing");
        output.WriteLine($"telemetry before the burst: {quiet.Count} batches, publish latency p50 {Percentile(quiet, 0.5):F0} ms, max {(quiet.Count > 0 ? quiet.Max() : 0):F0} ms");
        output.WriteLine($"gateway memory: peak VmRSS sampled {peakRss:F1} MiB, VmHWM {hwm:F1} MiB, VmRSS now {rss:F1} MiB (limit {MemoryLimitMiB} MiB)");

        Assert.Empty(missing);
        Assert.True(CommandCount(after) - commandsBefore >= Commands, $"the gateway handled {CommandCount(after) - commandsBefore} of {Commands} commands");
        Assert.True(hwm <= MemoryLimitMiB, $"the gateway peaked at {hwm:F1} MiB resident, above {MemoryLimitMiB} MiB");
        Assert.True(done >= 1, "commands the inbox took were carried out");
    }

    private static string? Result(JsonElement answer) => answer.GetProperty("result").GetString();

    private static long CommandCount(JsonDocument health) =>
        health.RootElement.GetProperty("gateway").GetProperty("commands").EnumerateObject().Sum(p => p.Value.GetInt64());

    private static long Count(JsonElement counters, string name) => counters.TryGetProperty(name, out var count) ? count.GetInt64() : 0;

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>VmRSS and VmHWM of the process, in MiB.</summary>
    private static (double RssMiB, double HwmMiB) Memory(int pid)
    {
        double rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line) / 1024;
            }
        }

        return (rss, hwm);
    }

    private static double Kib(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>A subscriber to the rig's telemetry noting each batch's seq and how long after its sent time it arrived.</summary>
    private sealed class TelemetryWatch : IAsyncDisposable
    {
        private readonly MqttClient _client;
        private readonly ConcurrentDictionary<long, (DateTimeOffset Sent, DateTimeOffset Received)> _batches = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private TelemetryWatch(MqttClient client)
        {
            _client = client;
            _loop = Task.Run(async () =>
            {
                try
                {
                    await foreach (var received in _client.Messages.ReadAllAsync(_stop.Token))
                    {
                        var at = DateTimeOffset.UtcNow;
                        var batch = JsonSerializer.Deserialize(received.Message.Payload.Span, ContractsJson.Default.ReadingBatch)!;
                        _batches.TryAdd(batch.Seq, (batch.Sent, at));
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public long? FirstSeq => _batches.IsEmpty ? null : _batches.Keys.Min();

        public IReadOnlySet<long> Seqs => _batches.Keys.ToHashSet();

        public static async Task<TelemetryWatch> StartAsync(MosquittoServer broker)
        {
            var client = new MqttClient(broker.ClientOptions("observer") with { ClientId = "telemetry-watch-" + Guid.NewGuid().ToString("N")[..8] });
            await client.ConnectAsync(CancellationToken.None);
            await client.SubscribeAsync([new MqttSubscription { TopicFilter = $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/telemetry", MaximumQoS = MqttQualityOfService.AtLeastOnce }], CancellationToken.None);
            return new TelemetryWatch(client);
        }

        /// <summary>Milliseconds from sent to arrival of the batches sent between <paramref name="from"/> and <paramref name="to"/>, sorted.</summary>
        public List<double> Latencies(DateTimeOffset from, DateTimeOffset to) =>
            [.. _batches.Values.Where(b => b.Sent >= from && b.Sent <= to).Select(b => (b.Received - b.Sent).TotalMilliseconds).Order()];

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _client.DisposeAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
