using System.Buffers.Binary;
using Telemetry.Gateway.Buffering;

namespace Telemetry.QueueCrashProbe;

/// <summary>What the probe and the test that kills it agree on: the queue settings and the payload of each seq.</summary>
public static class Probe
{
    public static QueueOptions Options(string directory) => new()
    {
        Directory = directory,
        SegmentBytes = 256 * 1024,
        MaxRecordBytes = 64 * 1024,
        MaxBytes = 1024L * 1024 * 1024,
    };

    public static byte[] Payload(long seq)
    {
        var payload = new byte[8 * 1024 + (int)(seq % 4096)];
        BinaryPrimitives.WriteInt64LittleEndian(payload, seq);
        for (var i = 8; i < payload.Length; i++)
        {
            payload[i] = (byte)(seq * 31 + i);
        }

        return payload;
    }

    public static long SeqOf(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload);
}
