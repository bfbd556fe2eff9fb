using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Transport;

namespace Telemetry.Mqtt.Tests.Formatter;

public sealed class DecoderRobustnessProperties
{
    private static readonly Gen<byte[]> RandomBytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));

    /// <summary>A valid packet damaged in one of the ways a broken peer or a bit flip would.</summary>
    private static readonly Gen<byte[]> MutatedPackets =
        from packet in PacketGenerators.AnyPacket
        let bytes = MqttPacketEncoder.ToArray(packet)
        from mutation in Gen.Choose(0, 5)
        from position in Gen.Choose(0, bytes.Length - 1)
        from value in Gen.Choose(0, 255)
        select Mutate(bytes, mutation, position, (byte)value);

    [Property(MaxTest = 5000)]
    public Property Random_bytes_never_crash_the_decoder() =>
        Prop.ForAll(Arb.From(RandomBytes), bytes => DecodesOrFailsTyped(bytes));

    [Property(MaxTest = 5000)]
    public Property Mutated_valid_packets_never_crash_the_decoder() =>
        Prop.ForAll(Arb.From(MutatedPackets), bytes => DecodesOrFailsTyped(bytes));

    [Property(MaxTest = 1000)]
    public Property Random_byte_streams_never_crash_the_packet_reader() =>
        Prop.ForAll(Arb.From(Gen.OneOf(RandomBytes, MutatedPackets)), bytes =>
        {
            var reader = new MqttPacketReader(new MemoryStream(bytes), maximumPacketSize: 4096);
            try
            {
                while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is not null)
                {
                }

                return true;
            }
            catch (Exception exception) when (exception is MqttProtocolException or EndOfStreamException)
            {
                return true;
            }
        });

    private static bool DecodesOrFailsTyped(byte[] bytes)
    {
        try
        {
            MqttPacketDecoder.Decode(bytes);
            return true;
        }
        catch (MqttProtocolException exception)
        {
            return exception.ReasonCode is MqttDisconnectReasonCode.MalformedPacket
                or MqttDisconnectReasonCode.ProtocolError
                or MqttDisconnectReasonCode.TopicAliasInvalid;
        }
    }

    private static byte[] Mutate(byte[] bytes, int mutation, int position, byte value)
    {
        var list = bytes.ToList();
        switch (mutation)
        {
            case 0: // flip a byte
                list[position] ^= (byte)(value | 1);
                break;
            case 1: // truncate
                list.RemoveRange(position, list.Count - position);
                break;
            case 2: // insert a byte
                list.Insert(position, value);
                break;
            case 3: // drop a byte
                list.RemoveAt(position);
                break;
            case 4: // damage the remaining length
                if (list.Count > 1)
                {
                    list[1] = value;
                }

                break;
            default: // change the packet type and flags
                list[0] = value;
                break;
        }

        return [.. list];
    }
}
