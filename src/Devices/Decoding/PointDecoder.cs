using System.Globalization;
using System.Numerics;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Decoding;

/// <summary>
/// Turns read results into named engineering values: raw × scale + offset, computed in decimal so that
/// 2301 × 0.1 is 230.1; f32 values become the shortest double that round-trips to the same float
/// (123.456f reads as 123.456). The kind of a value depends on its point only, so a stored field keeps
/// one type: bits are booleans; measurements (a unit), scaled values and f32 are reals; unscaled integers
/// without a unit (counts, states, labelled codes) are integers; strings are text.
/// </summary>
public static class PointDecoder
{
    /// <summary>Decodes the answers of one poll into one reading.</summary>
    public static DecodedReading Decode(IEnumerable<BlockResult> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var values = new List<DecodedValue>();
        var rejected = new List<RejectedValue>();
        foreach (var block in blocks)
        {
            foreach (var point in block.Request.Points)
            {
                var offset = point.Address - block.Request.Start;
                if (block.Request.Table.HoldsBits())
                {
                    values.Add(new DecodedValue(point.Name, point.Circuit, PointValue.FromBoolean(block.BitSpan[offset]), point));
                }
                else
                {
                    DecodeRegisters(point, block.RegisterSpan.Slice(offset, point.Length), values, rejected);
                }
            }
        }

        return new DecodedReading(
            [.. values.OrderBy(v => v.Point.Ordinal)],
            [.. rejected.OrderBy(r => r.Point.Ordinal)]);
    }

    /// <summary>Decodes the answer to one read.</summary>
    public static DecodedReading Decode(BlockResult block) => Decode([block]);

    /// <summary>Decodes one register point from exactly its registers.</summary>
    /// <exception cref="ArgumentException">The point is a bit, or the register count differs from its length.</exception>
    public static DecodedReading DecodePoint(PointDefinition point, ReadOnlySpan<ushort> registers)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Type == DataType.Bit || registers.Length != point.Length)
        {
            throw new ArgumentException($"point {point} needs {point.Length} registers, got {registers.Length}", nameof(registers));
        }

        var values = new List<DecodedValue>();
        var rejected = new List<RejectedValue>();
        DecodeRegisters(point, registers, values, rejected);
        return new DecodedReading(values, rejected);
    }

    private static void DecodeRegisters(PointDefinition point, ReadOnlySpan<ushort> registers, List<DecodedValue> values, List<RejectedValue> rejected)
    {
        void Add(string name, PointValue value) => values.Add(new DecodedValue(name, point.Circuit, value, point));

        switch (point.Type)
        {
            case DataType.String:
                Add(point.Name, PointValue.FromText(RegisterCodec.ReadAscii(registers, point.WordOrder)));
                return;
            case DataType.Bitfield:
                DecodeBitfield(point, RegisterCodec.ReadRaw(registers, point.WordOrder), Add);
                return;
            case DataType.F32:
                var single = BitConverter.UInt32BitsToSingle((uint)RegisterCodec.ReadRaw(registers, point.WordOrder));
                if (!float.IsFinite(single))
                {
                    rejected.Add(new RejectedValue(point, $"registers hold {single.ToString(CultureInfo.InvariantCulture)}, not a finite number"));
                    return;
                }

                Add(point.Name, ScaleReal(ShortestDouble(single), point));
                return;
            default:
                var raw = RegisterCodec.ReadRaw(registers, point.WordOrder);
                Add(point.Name, ScaleInteger(RawToDecimal(raw, point.Type), point));
                return;
        }
    }

    private static void DecodeBitfield(PointDefinition point, ulong raw, Action<string, PointValue> add)
    {
        var layout = point.Bitfield!;
        foreach (var flag in layout.Flags)
        {
            add(flag.Name, PointValue.FromBoolean((((raw >> flag.Bit) & 1) != 0) ^ flag.Invert));
        }

        if (layout.Series is not { } series)
        {
            return;
        }

        if (series.TotalName is not null)
        {
            add(series.TotalName, PointValue.FromInteger(BitOperations.PopCount(raw & series.Mask)));
        }

        for (var n = 1; n <= series.Count; n++)
        {
            add(series.NameOf(n), PointValue.FromBoolean(((raw >> (series.FirstBit + n - 1)) & 1) != 0));
        }
    }

    /// <summary>The signed or unsigned value of raw bits of an integer type.</summary>
    internal static decimal RawToDecimal(ulong raw, DataType type) => type switch
    {
        DataType.S16 => (short)(ushort)raw,
        DataType.S32 => (int)(uint)raw,
        _ => raw,
    };

    private static PointValue ScaleInteger(decimal raw, PointDefinition point)
    {
        if (point.Scale == 1m && point.Offset == 0m)
        {
            return point.Unit is null && raw <= long.MaxValue ? PointValue.FromInteger((long)raw) : PointValue.FromReal((double)raw);
        }

        try
        {
            return PointValue.FromReal((double)((raw * point.Scale) + point.Offset));
        }
        catch (OverflowException)
        {
            return PointValue.FromReal(((double)raw * (double)point.Scale) + (double)point.Offset);
        }
    }

    private static PointValue ScaleReal(double value, PointDefinition point)
    {
        if (point.Scale == 1m && point.Offset == 0m)
        {
            return PointValue.FromReal(value);
        }

        // Decimal keeps 1.5 × 0.1 at 0.15, but would lose very small magnitudes and overflow on large ones.
        var magnitude = Math.Abs(value);
        if (value == 0 || magnitude is >= 1e-6 and <= 1e15)
        {
            try
            {
                return PointValue.FromReal((double)(((decimal)value * point.Scale) + point.Offset));
            }
            catch (OverflowException)
            {
                // Falls through to binary arithmetic.
            }
        }

        return PointValue.FromReal((value * (double)point.Scale) + (double)point.Offset);
    }

    /// <summary>The shortest decimal double that converts back to the same float (the exact widening if none does).</summary>
    internal static double ShortestDouble(float value)
    {
        var shortest = double.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return BitConverter.SingleToUInt32Bits((float)shortest) == BitConverter.SingleToUInt32Bits(value) ? shortest : value;
    }
}
