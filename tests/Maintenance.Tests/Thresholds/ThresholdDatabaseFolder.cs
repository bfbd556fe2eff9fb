using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Testing;

namespace Telemetry.Maintenance.Tests.Thresholds;

/// <summary>
/// A maintenance database file in a scratch folder, removed with the test. Each <see cref="OpenDatabase"/> stands for
/// one process opening the file (its own connections, locking against the others through SQLite).
/// </summary>
internal sealed class ThresholdDatabaseFolder : IDisposable
{
    public const string Author = "li.wei";

    public const string Reason = "tuned after the March patrol";

    private readonly string folder = RepositoryPaths.NewScratchDirectory("thresholds");

    // A guard against a hang (a lock never released), not a timing assertion.
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));

    public ThresholdDatabaseFolder()
    {
        Path = System.IO.Path.Combine(folder, "maintenance.db");
    }

    public string Path { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero));

    public CancellationToken Token => timeout.Token;

    public SqliteDatabase OpenDatabase() => new(Path);

    /// <summary>A store as one process would hold it: its own database handle on the shared file.</summary>
    public SqliteThresholdStore OpenStore(ILogger<SqliteThresholdStore>? logger = null) =>
        new(OpenDatabase(), Shipped.Catalogue, Time, logger ?? NullLogger<SqliteThresholdStore>.Instance);

    public static ThresholdChange Set(ThresholdParameter parameter, ThresholdScope scope, double value, long? basedOnVersion = null) =>
        ThresholdChange.Set(parameter, scope, value, Author, Reason, basedOnVersion);

    public static ThresholdChange Remove(ThresholdParameter parameter, ThresholdScope scope) =>
        ThresholdChange.Remove(parameter, scope, Author, Reason);

    public void Dispose()
    {
        timeout.Dispose();
        using (var connection = new SqliteConnection(OpenDatabase().ConnectionString))
        {
            // Pooled connections keep the file open; release this file's only, other tests use theirs.
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind in the temp directory harms nothing.
        }
    }
}
