using System.Net;
using Telemetry.Contracts;

namespace Telemetry.Ingest;

/// <summary>The <c>Mqtt</c> section: where the broker is and how Ingest joins the stream.</summary>
public sealed class MqttSettings
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The persistent session's identity: unacknowledged messages wait for it while it is away.</summary>
    public string ClientId { get; set; } = $"ingest-{Environment.MachineName}";

    /// <summary>Instances in the same group split the stream (MQTT 5 shared subscription).</summary>
    public string SharedGroup { get; set; } = "ingest";

    public string Root { get; set; } = Topics.DefaultRoot;

    /// <summary>How long the broker keeps the session (and queues for it) while Ingest is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Messages the broker may send before Ingest acknowledges any: the room batching has.</summary>
    public int ReceiveMaximum { get; set; } = 20_000;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Mqtt:Host must be set";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Mqtt:Port {Port} is not a TCP port (1-65535)";
        }

        if (!Identifiers.IsValid(SharedGroup))
        {
            yield return $"Mqtt:SharedGroup '{SharedGroup}' is invalid: {Identifiers.Rule}";
        }

        if (!Identifiers.IsValid(Root))
        {
            yield return $"Mqtt:Root '{Root}' is invalid: {Identifiers.Rule}";
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 128)
        {
            yield return "Mqtt:ClientId must be 1 to 128 characters";
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            yield return $"Mqtt:ReceiveMaximum {ReceiveMaximum} must be 1-65535";
        }
    }
}

/// <summary>The <c>Influx</c> section: where readings are stored.</summary>
public sealed class InfluxSettings
{
    public Uri Url { get; set; } = new("http://127.0.0.1:8086/");

    public string Database { get; set; } = "telemetry";

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
