using System.Globalization;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// Gives the database cores of its own, as it has on its own server: the upper half of this machine's cores for
/// InfluxDB, the lower half for everything else (the broker, Ingest, the publisher and the raw writer). Processes
/// started later by this one inherit the lower half. Measured this way, InfluxDB has the same CPU whether it is
/// fed raw or through the pipeline, so the ratio says what the pipeline costs rather than how many processes the
/// machine runs at once.
/// </summary>
internal sealed class CorePlacement
{
    private CorePlacement(string database, string rest)
    {
        Database = database;
        Rest = rest;
    }

    /// <summary>The database's cores, as taskset lists them.</summary>
    public string Database { get; }

    /// <summary>Everyone else's cores.</summary>
    public string Rest { get; }

    /// <summary>The split for this machine, or null when it has a single core or the run asks to share them all.</summary>
    public static CorePlacement? ForThisMachine(bool shared)
    {
        var cores = Environment.ProcessorCount;
        if (shared || cores < 2)
        {
            return null;
        }

        var half = cores / 2;
        return new CorePlacement(Range(cores - half, cores - 1), Range(0, cores - half - 1));
    }

    public Task PinDatabaseAsync(int? pid) => PinAsync(pid, Database);

    public Task PinRestAsync(int? pid) => PinAsync(pid, Rest);

    public override string ToString() => $"InfluxDB on cores {Database}, everything else on {Rest}";

    private static string Range(int first, int last) => first == last
        ? first.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{first}-{last}");

    /// <summary>Every thread of the process, and the threads and children it starts after.</summary>
    private static async Task PinAsync(int? pid, string cores)
    {
        if (pid is not { } id)
        {
            throw new InvalidOperationException("the process to place is not running");
        }

        (await ExternalCommand.RunAsync("taskset", ["-a", "-p", "-c", cores, id.ToString(CultureInfo.InvariantCulture)])).EnsureSuccess("taskset");
    }
}
