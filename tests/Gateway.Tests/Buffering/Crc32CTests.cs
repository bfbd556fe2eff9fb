using System.Text;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Tests.Buffering;

public sealed class Crc32CTests
{
    [Fact]
    public void Checksum_is_crc32c_castagnoli()
    {
        // The standard check value of CRC-32C, and the iSCSI test vector of 32 zero bytes (RFC 3720, B.4).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Checksum_can_be_computed_in_pieces()
    {
        var data = Encoding.ASCII.GetBytes("store and forward, never lose a reading");

        Assert.Equal(Crc32C.Compute(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 11)), data.AsSpan(11)));
    }
}
