using System.Text.Json;
using Telemetry.Gateway.Buffering;
using Telemetry.Hosting;

namespace Telemetry.Gateway.Tests.Buffering;

public sealed class StoreAndForwardQueueHealthTests : IDisposable
{
    private readonly QueueFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Health_document_shows_depth_age_and_counters()
    {
        using var queue = _folder.Open();
        queue.Append(QueueFolder.Payload(0, 100));
        _folder.Clock.Advance(TimeSpan.FromSeconds(90));
        var health = new StoreAndForwardQueueHealth(queue);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            health.Write(writer);
            writer.WriteEndObject();
        }

        var document = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal("buffer", health.Name);
        Assert.Equal(HealthStatus.Healthy, health.Verdict.Status);
        Assert.Equal(1, document.GetProperty("pending_records").GetInt64());
        Assert.Equal(100, document.GetProperty("pending_bytes").GetInt64());
        Assert.Equal(90, document.GetProperty("oldest_pending_age_s").GetDouble());
        Assert.Equal(1, document.GetProperty("appended").GetInt64());
        Assert.Equal(0, document.GetProperty("dropped").GetInt64());
        Assert.Equal(0, document.GetProperty("corrupt").GetInt64());
    }
}
