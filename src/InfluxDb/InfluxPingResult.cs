namespace Telemetry.InfluxDb;

/// <summary>The answer to a ping.</summary>
/// <param name="Version">The server's version (<c>X-Influxdb-Version</c>), if it says.</param>
/// <param name="Build">The server's build (<c>X-Influxdb-Build</c>, e.g. OSS), if it says.</param>
/// <param name="Latency">The round-trip time.</param>
public sealed record InfluxPingResult(string? Version, string? Build, TimeSpan Latency);
