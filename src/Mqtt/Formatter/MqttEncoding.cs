using System.Buffers.Binary;
using System.Text;

namespace Telemetry.Mqtt.Formatter;

/// <summary>The UTF-8 rules of MQTT strings (MQTT 5.0 section 1.5.4).</summary>
internal static class MqttEncoding
{
    /// <summary>Strict UTF-8: unpaired surrogates and invalid bytes throw instead of being replaced.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const int MaxStringBytes = ushort.MaxValue;

    /// <summary>
    /// The UTF-8 length of an MQTT string; throws <see cref="ArgumentException"/> when the string cannot be sent
    /// (unpaired surrogate, U+0000, or longer than 65535 bytes).
    /// </summary>
    public static int GetStringByteCount(string value, string what)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} must not contain the null character U+0000.", what);
        }

        int count;
        try
        {
            count = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException exception)
        {
            throw new ArgumentException($"{what} is not valid UTF-16 (unpaired surrogate).", what, exception);
        }

        if (count > MaxStringBytes)
        {
            throw new ArgumentException($"{what} is {count} UTF-8 bytes; MQTT strings hold at most 65535.", what);
        }

        return count;
    }

    /// <summary>Whether <paramref name="value"/> can be sent as an MQTT string.</summary>
    public static bool IsValidString(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return StrictUtf8.GetByteCount(value) <= MaxStringBytes;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>Sequential big-endian writes into a span sized in advance.</summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> _span;

    public SpanWriter(Span<byte> span)
    {
        _span = span;
        Position = 0;
    }

    public int Position { get; private set; }

    public void WriteByte(byte value) => _span[Position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], value);
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[Position..], value);
        Position += 4;
    }

    public void WriteVariableByteInteger(uint value) => Position += VariableByteInteger.Write(_span[Position..], value);

    public void WriteString(string value)
    {
        var count = MqttEncoding.StrictUtf8.GetBytes(value, _span[(Position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], checked((ushort)count));
        Position += 2 + count;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], checked((ushort)value.Length));
        value.CopyTo(_span[(Position + 2)..]);
        Position += 2 + value.Length;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[Position..]);
        Position += value.Length;
    }
}

/// <summary>Sequential big-endian reads; any read past the end is a malformed packet.</summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _span;

    public SpanReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _span.Length - Position;

    public readonly bool End => Position >= _span.Length;

    public byte ReadByte()
    {
        Need(1, "byte");
        return _span[Position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "two byte integer");
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4, "four byte integer");
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span[Position..]);
        Position += 4;
        return value;
    }

    public uint ReadVariableByteInteger()
    {
        var status = VariableByteInteger.TryRead(_span[Position..], out var value, out var length);
        switch (status)
        {
            case VariableByteInteger.ReadStatus.Success:
                Position += length;
                return value;
            case VariableByteInteger.ReadStatus.NeedMoreData:
                throw MqttProtocolException.Malformed("A variable byte integer runs past the end of the packet.");
            default:
                throw MqttProtocolException.Malformed("A variable byte integer is longer than four bytes.");
        }
    }

    public string ReadString()
    {
        var length = ReadUInt16();
        Need(length, "UTF-8 string");
        var bytes = _span.Slice(Position, length);
        Position += length;
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw MqttProtocolException.Malformed("A UTF-8 string contains the null character U+0000.");
        }

        try
        {
            return MqttEncoding.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw MqttProtocolException.Malformed("A string is not well-formed UTF-8.", exception);
        }
    }

    public byte[] ReadBinary()
    {
        var length = ReadUInt16();
        Need(length, "binary data");
        var bytes = _span.Slice(Position, length).ToArray();
        Position += length;
        return bytes;
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _span[Position..];
        Position = _span.Length;
        return rest;
    }

    /// <summary>Returns a reader over the next <paramref name="length"/> bytes and skips them here.</summary>
    public SpanReader Slice(int length, string what)
    {
        Need(length, what);
        var slice = new SpanReader(_span.Slice(Position, length));
        Position += length;
        return slice;
    }

    private readonly void Need(int count, string what)
    {
        if (count > _span.Length - Position)
        {
            throw MqttProtocolException.Malformed($"The packet ends inside a {what}.");
        }
    }
}
