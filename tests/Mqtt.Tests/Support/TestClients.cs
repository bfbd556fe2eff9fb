using System.Threading.Channels;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Support;

/// <summary>Client construction and waiting helpers shared by the tests.</summary>
public static class TestClients
{
    /// <summary>Generous bound against hangs; never used to assert speed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static MqttClientOptions Options(string host, int port, string clientId) => new()
    {
        Host = host,
        Port = port,
        ClientId = clientId,
        KeepAlive = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) },
    };

    public static MqttClientOptions Options(MosquittoServer server, string clientId) => Options(server.Host, server.Port, clientId);

    public static MqttClient Create(MqttClientOptions options, ITestOutputHelper output) =>
        new(options, new XunitLogger<MqttClient>(output, options.ClientId.Length > 0 ? options.ClientId : "client"));

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options, ITestOutputHelper output)
    {
        var client = Create(options, output);
        await client.ConnectAsync(Cancel());
        return client;
    }

    public static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;

    public static async Task<MqttReceivedMessage> ReceiveAsync(this IMqttClient client)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await client.Messages.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"No message within {Timeout}.", ex);
        }
    }

    public static async Task<List<MqttReceivedMessage>> ReceiveAsync(this IMqttClient client, int count)
    {
        var messages = new List<MqttReceivedMessage>(count);
        for (var i = 0; i < count; i++)
        {
            messages.Add(await client.ReceiveAsync());
        }

        return messages;
    }

    /// <summary>Waits until the client reaches <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(this IMqttClient client, MqttConnectionState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, MqttConnectionStateChangedEventArgs e)
        {
            if (e.State == state)
            {
                reached.TrySetResult();
            }
        }

        client.ConnectionStateChanged += Handler;
        try
        {
            if (client.State == state)
            {
                return;
            }

            await reached.Task.WaitAsync(Timeout);
        }
        finally
        {
            client.ConnectionStateChanged -= Handler;
        }
    }

    /// <summary>Records every state change of a client.</summary>
    public static Channel<MqttConnectionStateChangedEventArgs> RecordStateChanges(this IMqttClient client)
    {
        var changes = Channel.CreateUnbounded<MqttConnectionStateChangedEventArgs>();
        client.ConnectionStateChanged += (_, e) => changes.Writer.TryWrite(e);
        return changes;
    }

    /// <summary>The next recorded change into <paramref name="state"/>.</summary>
    public static async Task<MqttConnectionStateChangedEventArgs> NextAsync(this Channel<MqttConnectionStateChangedEventArgs> changes, MqttConnectionState state)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var change = await changes.Reader.ReadAsync(cts.Token);
            if (change.State == state)
            {
                return change;
            }
        }
    }

    public static MqttApplicationMessage Message(string topic, string payload, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce) => new()
    {
        Topic = topic,
        Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        QualityOfService = qos,
    };

    public static string Text(this MqttReceivedMessage message) => System.Text.Encoding.UTF8.GetString(message.Message.Payload.Span);
}
