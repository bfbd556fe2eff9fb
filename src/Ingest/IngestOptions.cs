using Telemetry.Hosting;
using System.Net;
using Telemetry.Contracts;

namespace Telemetry.Ingest;

/// <summary>How Ingest joins the stream unless the <c>Mqtt</c> section says otherwise.</summary>
public static class IngestBroker
{
    /// <summary>
    /// A persistent session named after the machine, in the shared group <c>ingest</c>, with room for thousands of
    /// messages in flight so that batching works.
    /// </summary>
    public static BrokerSettings Defaults() => new()
    {
        ClientId = $"ingest-{Environment.MachineName}",
        SharedGroup = "ingest",
        ReceiveMaximum = 20_000,
    };
}

/// <summary>The <c>Influx</c> section: where readings are stored.</summary>
public sealed class InfluxSettings
{
    public Uri Url { get; set; } = new("http://127.0.0.1:8086/");

    public string Database { get; set; } = "telemetry";

    /// <summary>
    /// Make the database at start (once; one dropped later is not made again). Off where Ingest's user may only
    /// write: then the operator makes it, and Ingest is unhealthy until it exists.
    /// </summary>
    public bool CreateDatabase { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Points per write.</summary>
    public int BatchPoints { get; set; } = 5_000;

    /// <summary>Bytes of line protocol per write (before compression).</summary>
    public int BatchBytes { get; set; } = 1 << 20;

    /// <summary>How long a partly filled batch may wait for more points.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Compress write bodies: worth it across a network, CPU spent for nothing on the same host (gzip costs about a
    /// sixth of what encoding the points does). Unset: compress unless <see cref="Url"/> is a loopback address.
    /// </summary>
    public bool? Gzip { get; set; }

    /// <summary>Whether writes are compressed: <see cref="Gzip"/> if set, otherwise only to a host that is not this one.</summary>
    public bool CompressWrites => Gzip ?? !IsLoopback(Url);

    /// <summary>Writes sent to InfluxDB at once.</summary>
    public int WritesInFlight { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"Influx:Url '{Url}' must be an absolute http(s) address";
        }

        if (!Identifiers.IsValid(Database))
        {
            yield return $"Influx:Database '{Database}' is invalid: {Identifiers.Rule}";
        }

        if (BatchPoints is < 1 or > 1_000_000)
        {
            yield return $"Influx:BatchPoints {BatchPoints} must be 1-1000000";
        }

        if (BatchBytes is < 1024 or > 64 << 20)
        {
            yield return $"Influx:BatchBytes {BatchBytes} must be 1 KiB to 64 MiB";
        }

        if (WritesInFlight is < 1 or > 64)
        {
            yield return $"Influx:WritesInFlight {WritesInFlight} must be 1-64";
        }

        if (Linger < TimeSpan.Zero || Linger > TimeSpan.FromMinutes(1))
        {
            yield return $"Influx:Linger {Linger} must be 0 to 1 minute";
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsAbsoluteUri && (url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address)));
}
