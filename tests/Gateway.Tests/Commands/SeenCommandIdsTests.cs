using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Gateway.Commands;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Commands;

/// <summary>The remembered command ids, on the real file system.</summary>
public sealed class SeenCommandIdsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);
    private readonly string _folder = RepositoryPaths.NewScratchDirectory("seen-commands");

    private string FilePath => Path.Combine(_folder, "commands-seen");

    [Fact]
    public void An_id_taken_once_is_a_replay_until_it_expires_and_after_a_reopen_too()
    {
        using (var seen = Open(Now))
        {
            Assert.Equal(RememberResult.Remembered, seen.Remember("c-1", Now.AddMinutes(1), Now));
            Assert.Equal(RememberResult.Replayed, seen.Remember("c-1", Now.AddMinutes(1), Now.AddSeconds(30)));
        }

        using (var reopened = Open(Now.AddSeconds(59)))
        {
            Assert.Equal(RememberResult.Replayed, reopened.Remember("c-1", Now.AddMinutes(1), Now.AddSeconds(59)));
        }

        using var afterExpiry = Open(Now.AddMinutes(1));
        Assert.Equal(0, afterExpiry.Count);
        Assert.Equal(RememberResult.Remembered, afterExpiry.Remember("c-1", Now.AddMinutes(2), Now.AddMinutes(1)));
    }

    [Fact]
    public void A_record_torn_by_a_crash_is_dropped_and_the_records_before_it_are_kept()
    {
        using (var seen = Open(Now))
        {
            seen.Remember("c-1", Now.AddMinutes(1), Now);
            seen.Remember("c-2", Now.AddMinutes(1), Now);
        }

        var whole = File.ReadAllBytes(FilePath);
        File.WriteAllBytes(FilePath, whole[..^3]);

        using var reopened = Open(Now);
        Assert.Equal(1, reopened.Count);
        Assert.Equal(RememberResult.Replayed, reopened.Remember("c-1", Now.AddMinutes(1), Now));
        Assert.Equal(RememberResult.Remembered, reopened.Remember("c-3", Now.AddMinutes(1), Now));
    }

    [Fact]
    public void When_as_many_unexpired_ids_are_held_as_allowed_a_new_one_is_refused_until_some_expire()
    {
        using var seen = SeenCommandIds.Open(FilePath, capacity: 2, Now, NullLogger.Instance);
        seen.Remember("c-1", Now.AddSeconds(10), Now);
        seen.Remember("c-2", Now.AddSeconds(20), Now);

        Assert.Equal(RememberResult.Full, seen.Remember("c-3", Now.AddSeconds(30), Now));
        Assert.Equal(RememberResult.Remembered, seen.Remember("c-3", Now.AddSeconds(30), Now.AddSeconds(10)));
    }

    [Fact]
    public void The_file_is_compacted_when_expired_ids_are_most_of_it()
    {
        using var seen = Open(Now);
        for (var i = 0; i < 5000; i++)
        {
            var at = Now.AddMilliseconds(i);
            seen.Remember($"c-{i}", at.AddMilliseconds(10), at);
        }

        Assert.True(seen.Count < 100, $"{seen.Count} ids held");
        Assert.True(new FileInfo(FilePath).Length < 2048 * 30, $"{new FileInfo(FilePath).Length} bytes on disk");
    }

    private SeenCommandIds Open(DateTimeOffset now) => SeenCommandIds.Open(FilePath, 1000, now, NullLogger.Instance);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
