using System.Threading.Channels;
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Commands;

/// <summary>
/// The commands taken from the broker and waiting to be carried out, bounded by count and by payload bytes. The MQTT
/// reader adds without waiting (a full inbox refuses); the one worker takes them in order. Device I/O happens only in
/// the worker, so a slow device never holds up the client's reading of the connection.
/// </summary>
public sealed class CommandInbox(int maxCount, long maxBytes)
{
    private readonly Channel<MqttApplicationMessage> _queue = Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Lock _gate = new();
    private int _count;
    private long _bytes;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Queues <paramref name="message"/> unless that would pass either limit.</summary>
    public bool TryAdd(MqttApplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.Payload.Length;
        lock (_gate)
        {
            if (_count >= maxCount || _bytes + size > maxBytes)
            {
                return false;
            }

            _count++;
            _bytes += size;
        }

        if (!_queue.Writer.TryWrite(message))
        {
            Release(size);
            return false;
        }

        return true;
    }

    /// <summary>The oldest command; waits for one.</summary>
    public async ValueTask<MqttApplicationMessage> TakeAsync(CancellationToken cancellationToken)
    {
        var message = await _queue.Reader.ReadAsync(cancellationToken);
        Release(message.Payload.Length);
        return message;
    }

    private void Release(int size)
    {
        lock (_gate)
        {
            _count--;
            _bytes -= size;
        }
    }
}
