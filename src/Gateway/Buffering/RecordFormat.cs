using System.Buffers.Binary;

namespace Telemetry.Gateway.Buffering;

/// <summary>
/// The on-disk layout of one queue record, all integers little-endian:
/// <code>
///  0  u32  magic FA 51 E7 0D  (never valid UTF-8, so JSON payloads cannot fake it when resynchronising)
///  4  u32  payload length
///  8  u64  record id
/// 16  i64  enqueued at, Unix milliseconds
/// 24  u32  CRC-32C of the payload
/// 28  u32  CRC-32C of bytes 0..28 (checked before the length is trusted)
/// 32       payload
/// </code>
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 32;

    /// <summary>
    /// Largest payload the format accepts, whatever the configuration says: a length field that passed its
    /// checksum but claims more than this is treated as corrupt, so no header can make recovery allocate more.
    /// </summary>
    public const int MaxPayloadLength = 16 * 1024 * 1024;

    public const uint Magic = 0x0DE751FAu;

    public static ReadOnlySpan<byte> MagicBytes => [0xFA, 0x51, 0xE7, 0x0D];

    public static int SizeOf(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes header and payload into <paramref name="destination"/>, which is exactly <see cref="SizeOf"/> long.</summary>
    public static void Write(Span<byte> destination, long id, long enqueuedAtUnixMs, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], id);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], enqueuedAtUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
        payload.CopyTo(destination[HeaderSize..]);
    }

    /// <summary>Decodes a header whose magic, checksum and length bound hold; false for anything else.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out RecordHeader result)
    {
        result = default;
        if (header.Length < HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Crc32C.Compute(header[..28]))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (length is < 0 or > MaxPayloadLength)
        {
            return false;
        }

        result = new RecordHeader(
            length,
            BinaryPrimitives.ReadInt64LittleEndian(header[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[24..]));
        return true;
    }
}

internal readonly record struct RecordHeader(int PayloadLength, long Id, long EnqueuedAtUnixMs, uint PayloadCrc)
{
    public int RecordSize => RecordFormat.SizeOf(PayloadLength);

    public bool Matches(ReadOnlySpan<byte> payload) => payload.Length == PayloadLength && Crc32C.Compute(payload) == PayloadCrc;
}
