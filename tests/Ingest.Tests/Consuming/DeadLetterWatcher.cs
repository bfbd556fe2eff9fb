using System.Text.Json;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>A client subscribed to Ingest's dead-letter topic (subscribed once <see cref="StartAsync"/> returns), keeping every letter.</summary>
internal sealed class DeadLetterWatcher : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly List<JsonDocument> _letters = [];
    private Task _reading = Task.CompletedTask;

    private DeadLetterWatcher(MqttClient client) => _client = client;

    public IReadOnlyList<JsonElement> Letters
    {
        get
        {
            lock (_letters)
            {
                return [.. _letters.Select(l => l.RootElement)];
            }
        }
    }

    public static async Task<DeadLetterWatcher> StartAsync(MosquittoServer broker, string topic = "lighting/deadletter/ingest")
    {
        var client = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = $"dead-letter-watcher-{Guid.NewGuid():N}" });
        await client.ConnectAsync(CancellationToken.None);
        var watcher = new DeadLetterWatcher(client);
        await client.SubscribeAsync([new MqttSubscription { TopicFilter = topic, MaximumQoS = MqttQualityOfService.AtLeastOnce }], CancellationToken.None);
        watcher._reading = watcher.ReadAsync();
        return watcher;
    }

    private async Task ReadAsync()
    {
        await foreach (var message in _client.Messages.ReadAllAsync())
        {
            var letter = JsonDocument.Parse(message.Message.Payload);
            lock (_letters)
            {
                _letters.Add(letter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_letters)
        {
            _letters.ForEach(l => l.Dispose());
        }
    }
}
