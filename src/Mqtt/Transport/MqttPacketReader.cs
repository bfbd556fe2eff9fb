using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Packets;

namespace Telemetry.Mqtt.Transport;

/// <summary>
/// Reads whole packets from a stream. The receive buffer grows only as far as the packet being read needs and never
/// beyond the maximum packet size: a larger announced packet fails with PacketTooLarge (0x95) before anything is
/// allocated for it.
/// </summary>
internal sealed class MqttPacketReader
{
    private const int InitialCapacity = 8 * 1024;
    private readonly Stream _stream;
    private readonly int _maximumPacketSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public MqttPacketReader(Stream stream, int maximumPacketSize)
    {
        _stream = stream;
        _maximumPacketSize = maximumPacketSize;
        _buffer = new byte[Math.Min(InitialCapacity, maximumPacketSize)];
    }

    /// <summary>Bytes received from the stream so far.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Whether a complete packet is already buffered, so <see cref="ReadAsync"/> will not touch the stream.</summary>
    public bool HasBufferedPacket
    {
        get
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            return MqttPacketDecoder.TryReadFixedHeader(available, out _, out var remaining, out var headerLength) == MqttPacketDecoder.HeaderStatus.Complete
                && available.Length >= headerLength + remaining;
        }
    }

    /// <summary>
    /// Returns the next packet and its size on the wire, or <see langword="null"/> when the peer closed the stream
    /// cleanly between packets. Throws <see cref="MqttProtocolException"/> for a bad packet and
    /// <see cref="EndOfStreamException"/> when the stream ends inside a packet.
    /// </summary>
    public async ValueTask<(MqttPacket Packet, int Size)?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            if (MqttPacketDecoder.TryReadFixedHeader(available, out var header, out var remaining, out var headerLength) == MqttPacketDecoder.HeaderStatus.Complete)
            {
                var total = (long)headerLength + remaining;
                if (total > _maximumPacketSize)
                {
                    throw new MqttProtocolException(
                        MqttDisconnectReasonCode.PacketTooLarge,
                        $"The server sent a {total} byte packet; the Maximum Packet Size is {_maximumPacketSize}.");
                }

                if (available.Length >= total)
                {
                    var packet = MqttPacketDecoder.Decode(header, available.Slice(headerLength, remaining));
                    _start += (int)total;
                    if (_start == _end)
                    {
                        _start = _end = 0;
                    }

                    return (packet, (int)total);
                }

                EnsureCapacity((int)total);
            }
            else if (_end == _buffer.Length)
            {
                EnsureCapacity(Math.Min(_buffer.Length + 1, _maximumPacketSize));
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_start == _end)
                {
                    return null;
                }

                throw new EndOfStreamException("The server closed the connection in the middle of a packet.");
            }

            _end += read;
            BytesReceived += read;
        }
    }

    /// <summary>Makes room for a packet of <paramref name="packetSize"/> bytes at the buffer start.</summary>
    private void EnsureCapacity(int packetSize)
    {
        var buffered = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, buffered);
            _start = 0;
            _end = buffered;
        }

        if (_buffer.Length >= packetSize)
        {
            return;
        }

        var capacity = (int)Math.Min(Math.Max((long)packetSize, (long)_buffer.Length * 2), _maximumPacketSize);
        var grown = GC.AllocateUninitializedArray<byte>(capacity);
        Buffer.BlockCopy(_buffer, 0, grown, 0, buffered);
        _buffer = grown;
    }

    /// <summary>After a big packet, go back to a small buffer when nothing is pending.</summary>
    public void TrimIfIdle()
    {
        if (_buffer.Length > 64 * 1024 && _start == _end)
        {
            _buffer = new byte[Math.Min(InitialCapacity, _maximumPacketSize)];
            _start = _end = 0;
        }
    }
}
