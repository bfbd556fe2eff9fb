using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Gateway.Polling;
using Telemetry.Gateway.Publishing;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Publishing;

/// <summary>The cycle's readings cut into batches, numbered and queued, on a real queue in a scratch folder.</summary>
public sealed class BatchAssemblerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);
    private readonly AssemblerOnDisk _default = new(maxBatchBytes: 192 * 1024, maxRecordBytes: 1024 * 1024);

    private FakeTimeProvider Clock => _default.Clock;

    public void Dispose() => _default.Dispose();

    [Fact]
    public void A_cycle_without_readings_queues_nothing_and_uses_no_seq()
    {
        Assert.Equal(0, _default.Assembler.Flush());

        Assert.Empty(_default.Queued());
        Assert.Equal(0, _default.Sequence.Last);
    }

    [Fact]
    public void A_cycle_s_readings_go_out_as_one_batch_in_the_order_they_were_read()
    {
        var readings = Readings(40);
        _default.Collector.Add(readings);

        Assert.Equal(1, _default.Assembler.Flush());

        var batch = Assert.Single(_default.Queued());
        Assert.Equal(1, batch.Seq);
        Assert.Equal(GatewayRig.SiteId, batch.Site);
        Assert.Equal(GatewayRig.GatewayId, batch.Gateway);
        Assert.Equal(Clock.GetUtcNow(), batch.Sent);
        Assert.Equal(readings.Select(r => (r.Device, r.Ts)), batch.Readings.Select(r => (r.Device, r.Ts)));
        Assert.Equal(0, _default.Collector.Count);
        Assert.Equal((1L, 40L), (_default.Statistics.BatchesQueued, _default.Statistics.ReadingsQueued));
    }

    [Fact]
    public void Each_cycle_takes_the_next_seq()
    {
        for (var cycle = 0; cycle < 3; cycle++)
        {
            _default.Collector.Add(Readings(5, offset: cycle * 5));
            _default.Assembler.Flush();
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([1L, 2, 3], _default.Queued().Select(b => b.Seq));
    }

    [Fact]
    public void More_readings_than_a_batch_may_hold_are_cut_into_full_batches_and_the_rest()
    {
        var readings = Readings(1234);
        _default.Collector.Add(readings);

        Assert.Equal(3, _default.Assembler.Flush());

        var batches = _default.Queued();
        Assert.Equal([500, 500, 234], batches.Select(b => b.Readings.Count));
        Assert.Equal([1L, 2, 3], batches.Select(b => b.Seq));
        Assert.Equal(readings.Select(r => r.Ts), batches.SelectMany(b => b.Readings).Select(r => r.Ts));
    }

    [Fact]
    public void A_batch_whose_json_is_too_large_is_halved_until_every_part_fits()
    {
        using var small = new AssemblerOnDisk(maxBatchBytes: 4096, maxRecordBytes: 64 * 1024);
        var readings = Readings(100);
        small.Collector.Add(readings);

        var appended = small.Assembler.Flush();

        var records = small.QueuedRecords();
        Assert.Equal(appended, records.Count);
        Assert.True(records.Count > 1);
        Assert.All(records, r => Assert.True(r.Json.Length <= 4096, $"a batch of {r.Json.Length} bytes"));
        var batches = records.Select(r => r.Batch).ToList();
        Assert.Equal(Enumerable.Range(1, batches.Count).Select(i => (long)i), batches.Select(b => b.Seq));
        Assert.Equal(readings.Select(r => r.Ts), batches.SelectMany(b => b.Readings).Select(r => r.Ts));

        // Halving, not trimming: the parts stay about the same size.
        Assert.True(batches.Max(b => b.Readings.Count) - batches.Min(b => b.Readings.Count) <= batches.Max(b => b.Readings.Count) / 2 + 1);
    }

    [Fact]
    public void A_single_reading_larger_than_a_batch_may_be_goes_out_alone_as_it_is()
    {
        using var small = new AssemblerOnDisk(maxBatchBytes: 4096, maxRecordBytes: 64 * 1024);
        var huge = Reading(0, values: 400);
        small.Collector.Add([Reading(1), huge, Reading(2)]);

        small.Assembler.Flush();

        var batches = small.Queued();
        Assert.Contains(batches, b => b.Readings is [{ Values.Count: 400 }]);
        Assert.Equal(3, batches.Sum(b => b.Readings.Count));
    }

    [Fact]
    public void Batches_made_in_the_same_millisecond_get_increasing_sent_times()
    {
        _default.Collector.Add(Readings(1200));
        _default.Assembler.Flush();
        _default.Collector.Add(Readings(3, offset: 2000));
        _default.Assembler.Flush();

        var sent = _default.Queued().Select(b => b.Sent).ToList();
        Assert.Equal(4, sent.Count);
        Assert.Equal(Clock.GetUtcNow(), sent[0]);
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second:O} after {pair.First:O}"));
    }

    [Fact]
    public void Readings_the_queue_refuses_are_counted_lost_and_the_cycle_goes_on()
    {
        using var tight = new AssemblerOnDisk(maxBatchBytes: 4096, maxRecordBytes: 8 * 1024);
        tight.Collector.Add([Reading(1), Reading(0, values: 1000)]);

        Assert.Equal(1, tight.Assembler.Flush());

        Assert.Equal(1, tight.Statistics.ReadingsLost);
        var batch = Assert.Single(tight.Queued());
        Assert.Equal("dev-0001", Assert.Single(batch.Readings).Device);
    }

    private static List<Reading> Readings(int count, int offset = 0) => [.. Enumerable.Range(offset, count).Select(i => Reading(i))];

    private static Reading Reading(int index, int values = 5) => new()
    {
        Device = $"dev-{index:D4}",
        Family = DeviceFamily.StreetController,
        Ts = Start - TimeSpan.FromMilliseconds(10_000 - index),
        Circuit = "1",
        Values = Enumerable.Range(0, values).ToDictionary(v => $"voltage_l{v}_v", v => (ReadingValue)(229.5 + v)),
    };

    /// <summary>A batch assembler over a real queue and seq counter in a scratch folder, with a site of one device.</summary>
    private sealed class AssemblerOnDisk : IDisposable
    {
        private readonly string _folder = RepositoryPaths.NewScratchDirectory("batch-assembler");
        private readonly StoreAndForwardQueue _queue;

        public AssemblerOnDisk(int maxBatchBytes, int maxRecordBytes)
        {
            var siteFile = Path.Combine(_folder, "site.json");
            File.WriteAllText(siteFile, GatewayRig.SiteJson([new RigDevice("tcp-001", "mg-slc4", "street_controller", false, 1, 1)], null, 1502));
            var settings = new GatewaySettings
            {
                SiteFile = siteFile,
                ProfilesDirectory = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                StateDirectory = Path.Combine(_folder, "state"),
                Publishing = new PublishingSettings { MaxBatchBytes = maxBatchBytes },
                Buffering = new QueueOptions { MaxRecordBytes = maxRecordBytes },
            };
            Statistics = new GatewayStatistics(Clock);
            _queue = StoreAndForwardQueue.Open(settings.QueueOptions, NullLogger.Instance, Clock);
            Sequence = SequenceCounter.Open(settings.SequencePath, NullLogger.Instance, Clock);
            var site = new SiteConfiguration(settings, Clock, NullLogger<SiteConfiguration>.Instance);
            Assembler = new BatchAssembler(Collector, new OutboundQueue(_queue, Sequence), site, settings, Statistics, Clock, NullLogger<BatchAssembler>.Instance);
        }

        public FakeTimeProvider Clock { get; } = new(Start);

        public ReadingCollector Collector { get; } = new();

        public GatewayStatistics Statistics { get; }

        public SequenceCounter Sequence { get; }

        public BatchAssembler Assembler { get; }

        public IReadOnlyList<ReadingBatch> Queued() => [.. QueuedRecords().Select(r => r.Batch)];

        /// <summary>Every batch in the queue, with its JSON as published.</summary>
        public List<(ReadingBatch Batch, ReadOnlyMemory<byte> Json)> QueuedRecords()
        {
            var records = new List<(ReadingBatch, ReadOnlyMemory<byte>)>();
            foreach (var record in _queue.ReadBatch(int.MaxValue))
            {
                var (kind, json) = OutboundQueue.Open(record.Payload)!.Value;
                Assert.Equal(OutboundKind.Telemetry, kind);
                records.Add((JsonSerializer.Deserialize(json.Span, ContractsJson.Default.ReadingBatch)!, json));
            }

            _queue.Rewind();
            return records;
        }

        public void Dispose()
        {
            Assembler.Dispose();
            _queue.Dispose();
            Sequence.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
