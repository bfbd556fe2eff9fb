using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using static Telemetry.Devices.Tests.TestPoints;

namespace Telemetry.Devices.Tests.Decoding;

/// <summary>A writable point and register contents for it.</summary>
public sealed record RegisterCase(PointDefinition Point, ushort[] Registers)
{
    public override string ToString() =>
        $"{Point.Type} {Point.WordOrder} ×{Point.Scale}{Point.Offset:+0.##;-0.##} [{string.Join(' ', Registers.Select(r => $"0x{r:X4}"))}]";
}

/// <summary>A writable point and a value it can hold.</summary>
public sealed record ValueCase(PointDefinition Point, PointValue Value)
{
    public override string ToString() => $"{Point.Type} {Point.WordOrder} len {Point.Length}: {Value.Kind} {Value}";
}

public static class CodecArbitraries
{
    private static readonly Gen<WordOrder> Orders = Gen.Elements(Enum.GetValues<WordOrder>());

    private static Gen<ushort> Word => Gen.Choose(0, ushort.MaxValue).Select(w => (ushort)w);

    /// <summary>Uniform random bits, the low <paramref name="count"/> of a long (all 64 may be set).</summary>
    private static Gen<long> Bits(int count) =>
        Gen.ArrayOf(Word, 4).Select(words => unchecked((long)(((ulong)words[0] << 48 | (ulong)words[1] << 32 | (ulong)words[2] << 16 | words[3]) >> (64 - count))));

    public static Arbitrary<RegisterCase> RegisterCases() =>
        (from type in Gen.Elements(DataType.U16, DataType.S16, DataType.U32, DataType.S32, DataType.U64, DataType.F32)
         from order in Orders
         from scaled in Gen.Elements(false, type.IsInteger())
         from scale in Gen.Elements(0.1m, 0.01m, 0.001m, 0.5m, 2m, -1m)
         from offset in Gen.Elements(0m, -40m, 273.15m)
         let point = Register("x", type, order: order, writable: true, scale: scaled ? scale : 1m, offset: scaled ? offset : 0m)
         from raw in Bits(16 * point.Length)
         // A u64 reads as a long up to 2^63 - 1 (a double above); a scaled value is a double, exact to
         // 15 significant digits, so a scaled u64 stays below 2^40.
         let bits = type != DataType.U64 ? raw : scaled ? raw & ((1L << 40) - 1) : raw & long.MaxValue
         select new RegisterCase(point, Lay(bits, point))).ToArbitrary();

    private static ushort[] Lay(long raw, PointDefinition point)
    {
        var registers = new ushort[point.Length];
        RegisterCodec.WriteRaw(unchecked((ulong)raw), registers, point.WordOrder);
        return registers;
    }

    public static Arbitrary<ValueCase> ValueCases()
    {
        var printable = Gen.Choose(' ', '~').Select(c => (char)c);
        return Gen.OneOf(
            from order in Orders
            from tuple in Gen.Elements(
                (DataType.U16, 16, false), (DataType.S16, 16, true), (DataType.U32, 32, false), (DataType.S32, 32, true), (DataType.U64, 63, false))
            from bits in Bits(tuple.Item2)
            let value = tuple.Item3 ? bits - (1L << (tuple.Item2 - 1)) : bits
            select new ValueCase(Register("x", tuple.Item1, order: order, writable: true), value),
            from order in Orders
            from bits in Bits(32).Where(b => float.IsFinite(BitConverter.UInt32BitsToSingle((uint)b)))
            let single = BitConverter.UInt32BitsToSingle((uint)bits)
            select new ValueCase(Register("x", DataType.F32, order: order, writable: true), ShortestOf(single)),
            from order in Orders
            from length in Gen.Choose(1, 8)
            from text in Gen.ArrayOf(printable).Select(c => new string(c)).Where(t => t.Length <= 2 * length)
            select new ValueCase(Register("x", DataType.String, order: order, length: length, writable: true), text)).ToArbitrary();
    }

    /// <summary>How the decoder shows a float: the shortest decimal that converts back to it.</summary>
    private static double ShortestOf(float single)
    {
        var shortest = double.Parse(single.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        return (float)shortest == single ? shortest : single;
    }
}

[Properties(Arbitrary = [typeof(CodecArbitraries)], MaxTest = 500)]
public sealed class RoundTripProperties
{
    [Property]
    public bool Encode_then_decode_gives_the_value_back_for_every_type_and_order(ValueCase c)
    {
        var write = CommandEncoder.Encode(c.Point, c.Value);
        var decoded = Assert.Single(PointDecoder.DecodePoint(c.Point, [.. write.Registers]).Values).Value;

        return decoded == c.Value;
    }

    [Property]
    public bool Decode_then_encode_gives_the_registers_back_bit_for_bit(RegisterCase c)
    {
        var reading = PointDecoder.DecodePoint(c.Point, c.Registers);
        if (reading.Rejected.Count == 1)
        {
            return c.Point.Type == DataType.F32; // NaN or infinity, which has no value to write back
        }

        var write = CommandEncoder.Encode(c.Point, Assert.Single(reading.Values).Value);
        return write.Registers.SequenceEqual(c.Registers);
    }

    [Property]
    public bool Raw_codec_round_trips_in_every_order(ushort[] words, WordOrder order)
    {
        var width = words.Length >= 4 ? 4 : words.Length >= 2 ? 2 : 1;
        var registers = words.Length == 0 ? [(ushort)0] : words.Take(width).ToArray();

        var raw = RegisterCodec.ReadRaw(registers, order);
        var back = new ushort[registers.Length];
        RegisterCodec.WriteRaw(raw, back, order);

        return back.SequenceEqual(registers);
    }

    [Property]
    public bool Bitfield_series_reads_every_bit_of_a_u32(uint raw, WordOrder order)
    {
        var point = Register("status", DataType.Bitfield, length: 2, order: order) with
        {
            Bitfield = new BitfieldLayout([], new BitSeries(0, 32, "bit_{n}", "bits_set")),
        };
        var registers = new ushort[2];
        RegisterCodec.WriteRaw(raw, registers, order);

        var values = PointDecoder.DecodePoint(point, registers).Values;

        var rebuilt = values.Skip(1).Select((v, i) => v.Value.AsBoolean ? 1u << i : 0u).Aggregate(0u, (a, b) => a | b);
        return rebuilt == raw && values[0].Value.AsInteger == System.Numerics.BitOperations.PopCount(raw);
    }

    [Property]
    public bool Coil_round_trips(bool on)
    {
        var point = Coil("commanded_on");
        var write = CommandEncoder.Encode(point, on);
        var request = new Telemetry.Devices.Planning.ReadRequest(RegisterTable.Coil, 0, 1, [point]);

        return PointDecoder.Decode(BlockResult.FromBits(request, [.. write.Bits])).Find("commanded_on") == PointValue.FromBoolean(on);
    }
}
