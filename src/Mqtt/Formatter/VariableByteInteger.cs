namespace Telemetry.Mqtt.Formatter;

/// <summary>The Variable Byte Integer encoding (MQTT 5.0 section 1.5.5): 7 bits per byte, at most 4 bytes.</summary>
internal static class VariableByteInteger
{
    /// <summary>The largest encodable value, 268,435,455.</summary>
    public const uint MaxValue = 268_435_455;

    /// <summary>The outcome of <see cref="TryRead"/>.</summary>
    public enum ReadStatus
    {
        Success,
        NeedMoreData,
        Malformed,
    }

    public static int GetSize(uint value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= MaxValue => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer holds at most 268,435,455."),
    };

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, uint value)
    {
        if (value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer holds at most 268,435,455.");
        }

        var index = 0;
        do
        {
            var encoded = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                encoded |= 0x80;
            }

            destination[index++] = encoded;
        }
        while (value > 0);

        return index;
    }

    /// <summary>Reads a variable byte integer from the start of <paramref name="source"/>.</summary>
    public static ReadStatus TryRead(ReadOnlySpan<byte> source, out uint value, out int length)
    {
        value = 0;
        length = 0;
        var multiplier = 0;
        for (var index = 0; index < 4; index++)
        {
            if (index >= source.Length)
            {
                return ReadStatus.NeedMoreData;
            }

            var encoded = source[index];
            value |= (uint)(encoded & 0x7F) << multiplier;
            multiplier += 7;
            if ((encoded & 0x80) == 0)
            {
                length = index + 1;
                return ReadStatus.Success;
            }
        }

        value = 0;
        return ReadStatus.Malformed;
    }
}
