using Microsoft.Extensions.Time.Testing;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Tests.Storage;

/// <summary>A real SQLite file in its own temporary folder, deleted afterwards.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("telemetry-maintenance-").FullName;

    public TemporaryDatabase()
    {
        Path = System.IO.Path.Combine(folder, "maintenance.db");
        Database = new SqliteDatabase(Path);
    }

    public string Path { get; }

    public SqliteDatabase Database { get; }

    /// <summary>A repository as a process would open it: its own <see cref="SqliteDatabase"/> on the file.</summary>
    public SqliteTicketRepository OpenRepository(TimeProvider time, TicketOptions? options = null) =>
        new(new SqliteDatabase(Path), options ?? new TicketOptions(), time);

    public SqliteNotificationOutbox OpenOutbox() => new(new SqliteDatabase(Path));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>The clock the tests start at: 2026-11-22 19:00 UTC, a lighting evening.</summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create(DateTimeOffset? start = null) => new(start ?? Start);
}
