namespace Telemetry.Gateway.Buffering;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of queue records and checkpoint files.
/// Table-driven: the queue checksums a few kilobytes per poll cycle, so speed does not matter here.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;

    private static readonly uint[] Table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a previous result, or 0 to start) over more bytes.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        foreach (var b in data)
        {
            state = Table[(byte)(state ^ b)] ^ (state >> 8);
        }

        return ~state;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ Polynomial : entry >> 1;
            }

            table[i] = entry;
        }

        return table;
    }
}
