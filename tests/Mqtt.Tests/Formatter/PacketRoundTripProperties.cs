using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Packets;
using Telemetry.Mqtt.Tests.Support;

namespace Telemetry.Mqtt.Tests.Formatter;

public sealed class PacketRoundTripProperties
{
    [Property(MaxTest = 2000)]
    public Property Every_packet_the_encoder_writes_decodes_to_an_equal_packet() =>
        Prop.ForAll(Arb.From(PacketGenerators.AnyPacket), packet =>
        {
            var bytes = MqttPacketEncoder.ToArray(packet);
            var decoded = MqttPacketDecoder.Decode(bytes);
            return (Canonical.Describe(decoded) == Canonical.Describe(packet))
                .Label($"expected {Canonical.Describe(packet)}\nactual   {Canonical.Describe(decoded)}")
                .And(MqttPacketEncoder.ToArray(decoded).AsSpan().SequenceEqual(bytes)).Label("re-encoding gives the same bytes")
                .Classify(packet is PublishPacket, "PUBLISH")
                .Classify(packet is ConnectPacket, "CONNECT");
        });

    [Property(MaxTest = 300)]
    public Property Publish_size_prediction_matches_the_encoded_size() =>
        Prop.ForAll(Arb.From(PacketGenerators.Publish), packet =>
            MqttPacketEncoder.GetPublishPacketSize(packet.Message, packet.TopicAlias, packet.SubscriptionIdentifiers)
                == MqttPacketEncoder.ToArray(packet).Length);

    [Property(MaxTest = 300)]
    public Property Packets_written_back_to_back_are_read_back_in_order_from_a_stream() =>
        Prop.ForAll(Arb.From(Gen.NonEmptyListOf(PacketGenerators.AnyPacket)), packets =>
        {
            var stream = new MemoryStream();
            foreach (var packet in packets)
            {
                stream.Write(MqttPacketEncoder.ToArray(packet));
            }

            stream.Position = 0;
            var reader = new Telemetry.Mqtt.Transport.MqttPacketReader(new TrickleStream(stream), MqttClientOptions.ProtocolMaximumPacketSize);
            var decoded = new List<MqttPacket>();
            while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is { } read)
            {
                decoded.Add(read.Packet);
            }

            return Canonical.Describe(decoded) == Canonical.Describe(packets);
        });

    /// <summary>Hands out at most 7 bytes per read, so packets arrive split at every possible place.</summary>
    private sealed class TrickleStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
