using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Gateway.Buffering;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Buffering;

public sealed class SequenceCounterTests : IDisposable
{
    private readonly string _folder = RepositoryPaths.NewScratchDirectory("seq");
    private readonly RecordingLogger _logger = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    private string FilePath => Path.Combine(_folder, "state", "batch.seq");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Sequence_starts_at_one_and_continues_after_reopen()
    {
        using (var counter = Open())
        {
            Assert.Equal(0, counter.Last);
            Assert.Equal([1L, 2, 3], new[] { counter.Next(), counter.Next(), counter.Next() });
        }

        for (var round = 0; round < 3; round++)
        {
            using var counter = Open();
            Assert.Equal(3 + round, counter.Last);
            Assert.Equal(4 + round, counter.Next());
        }
    }

    [Fact]
    public void Write_torn_by_a_crash_keeps_the_previous_value()
    {
        using (var counter = Open())
        {
            counter.Next();
            counter.Next();
        }

        // A crash while writing 3: its slot (the odd one, at 4 KiB) is half written.
        using (var file = new FileStream(FilePath, FileMode.Open, FileAccess.Write))
        {
            file.Position = 4096 + 6;
            file.Write([0xDE, 0xAD, 0xBE]);
        }

        using var reopened = Open();
        Assert.Equal(3, reopened.Next());
    }

    [Fact]
    public void Both_slots_unreadable_jumps_ahead_to_the_clock_rather_than_repeat()
    {
        using (var counter = Open())
        {
            counter.Next();
            counter.Next();
        }

        File.WriteAllBytes(FilePath, new byte[8192]);

        using var reopened = Open();
        var next = reopened.Next();

        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds() + 1, next);
        Assert.Contains(_logger.At(LogLevel.Error), m => m.Contains("unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public void Counter_file_is_held_by_one_process_at_a_time()
    {
        using var counter = Open();

        Assert.Throws<IOException>(Open);
    }

    private SequenceCounter Open() => SequenceCounter.Open(FilePath, _logger, _clock);
}
