using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Gateway.Replay;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Replay;

public sealed class BatchArchiveTests : IDisposable
{
    private readonly string folder = RepositoryPaths.NewScratchDirectory("archive");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Batches_are_read_back_by_seq_range_in_order_also_after_a_restart()
    {
        using (var archive = Open())
        {
            for (var seq = 1L; seq <= 50; seq++)
            {
                archive.Append(seq, Record(seq));
            }

            Assert.Equal([10L, 11, 12], archive.Read(10, 12).Select(b => b.Seq));
            Assert.Equal(Record(11), archive.Read(11, 11).Single().Record.ToArray());
            Assert.Equal((1L, 50L), archive.Held);
        }

        using var reopened = Open();
        Assert.Equal((1L, 50L), reopened.Held);
        Assert.Equal(Enumerable.Range(45, 6).Select(i => (long)i), reopened.Read(45, 999).Select(b => b.Seq));
        reopened.Append(51, Record(51));
        Assert.Equal([50L, 51], reopened.Read(50, 51).Select(b => b.Seq));
        Assert.Empty(reopened.Read(52, 60));
    }

    [Fact]
    public void Batches_older_than_the_retention_time_are_dropped_a_file_at_a_time_and_counted()
    {
        using var archive = Open(new ReplaySettings { Retention = TimeSpan.FromHours(1), FileBytes = 64 * 1024, MaxBytes = 1024 * 1024 });
        var seq = 0L;
        for (var minute = 0; minute < 180; minute++)
        {
            for (var i = 0; i < 10; i++)
            {
                archive.Append(++seq, Record(seq, 500));
            }

            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var (first, last) = archive.Held!.Value;
        Assert.Equal(1800, last);
        var oldestKept = archive.Read(first, first).Single();
        Assert.True(clock.GetUtcNow() - oldestKept.QueuedAt < TimeSpan.FromHours(1) + TimeSpan.FromMinutes(20), $"oldest kept was queued at {oldestKept.QueuedAt}");
        Assert.True(first > 1000, $"first held {first}");
        Assert.Equal(first - 1, archive.Dropped);
        Assert.NotEmpty(Directory.GetFiles(folder));
    }

    [Fact]
    public void The_files_stay_within_their_byte_bound()
    {
        var settings = new ReplaySettings { FileBytes = 64 * 1024, MaxBytes = 256 * 1024 };
        using var archive = Open(settings);
        for (var seq = 1L; seq <= 2000; seq++)
        {
            archive.Append(seq, Record(seq, 1000));
        }

        Assert.True(archive.Bytes <= settings.MaxBytes, $"{archive.Bytes} bytes");
        Assert.True(Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length) <= settings.MaxBytes);
        var (first, last) = archive.Held!.Value;
        Assert.Equal(2000, last);
        Assert.Equal(first - 1, archive.Dropped);
        Assert.Equal(last - first + 1, archive.Read(0, long.MaxValue).Count);
    }

    [Fact]
    public void A_torn_last_batch_is_cut_off_at_the_next_start_and_appending_goes_on()
    {
        using (var archive = Open())
        {
            for (var seq = 1L; seq <= 5; seq++)
            {
                archive.Append(seq, Record(seq));
            }
        }

        var file = Directory.GetFiles(folder).Single();
        var length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(length - 7);
        }

        using var reopened = Open();
        Assert.Equal((1L, 4L), reopened.Held);
        Assert.True(new FileInfo(file).Length < length - 7);
        reopened.Append(6, Record(6));
        Assert.Equal([1L, 2, 3, 4, 6], reopened.Read(1, 6).Select(b => b.Seq));
    }

    [Fact]
    public void A_corrupt_batch_ends_what_is_read_of_its_file_and_the_rest_is_missing_not_wrong()
    {
        using (var archive = Open())
        {
            for (var seq = 1L; seq <= 5; seq++)
            {
                archive.Append(seq, Record(seq));
            }
        }

        var file = Directory.GetFiles(folder).Single();
        var bytes = File.ReadAllBytes(file);
        var third = Encoding.UTF8.GetBytes("\"seq\":3").AsSpan();
        var at = bytes.AsSpan().IndexOf(third);
        bytes[at + 6] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        using var reopened = Open();
        Assert.Equal([1L, 2], reopened.Read(1, 5).Select(b => b.Seq));
    }

    [Fact]
    public void Bad_settings_are_each_named()
    {
        var problems = new ReplaySettings { Retention = TimeSpan.Zero, FileBytes = 10, MaxBytes = 5, MaxBatchesPerRequest = 0, MaxQueuedRequests = 0 }.Validate().ToList();
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Gateway:Replay:Retention", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Replay:FileBytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Replay:MaxBytes", StringComparison.Ordinal));
        Assert.Empty(new ReplaySettings().Validate());
    }

    private BatchArchive Open(ReplaySettings? settings = null) => BatchArchive.Open(folder, settings ?? new ReplaySettings(), clock, NullLogger.Instance);

    private static byte[] Record(long seq, int padding = 20) =>
        Encoding.UTF8.GetBytes($"T{{\"v\":1,\"seq\":{seq},\"pad\":\"{new string('x', padding)}\"}}");
}
