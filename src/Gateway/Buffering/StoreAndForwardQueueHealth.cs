using System.Text.Json;
using Telemetry.Hosting;

namespace Telemetry.Gateway.Buffering;

/// <summary>The queue's depth and counters in the health document, under <c>buffer</c>.</summary>
/// <remarks>Always healthy: a full queue still accepts every batch (dropping the oldest), and the counters say so.</remarks>
public sealed class StoreAndForwardQueueHealth(StoreAndForwardQueue queue) : IHealthSource
{
    public string Name => "buffer";

    public HealthVerdict Verdict => HealthVerdict.Healthy;

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var stats = queue.Statistics;
        writer.WriteNumber("pending_records", stats.PendingRecords);
        writer.WriteNumber("pending_bytes", stats.PendingBytes);
        writer.WriteNumber("disk_bytes", stats.DiskBytes);
        writer.WriteNumber("segments", stats.Segments);
        if (stats.OldestPendingAge is { } age)
        {
            writer.WriteNumber("oldest_pending_age_s", Math.Round(age.TotalSeconds, 3));
        }
        else
        {
            writer.WriteNull("oldest_pending_age_s");
        }

        writer.WriteNumber("appended", stats.Appended);
        writer.WriteNumber("acknowledged", stats.Acknowledged);
        writer.WriteNumber("dropped", stats.Dropped);
        writer.WriteNumber("corrupt", stats.Corrupt);
    }
}
