using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Simulator.Plant;

namespace Telemetry.Simulator.Serving;

/// <summary>
/// Lays a device's values into its registers exactly as the profile says, so that the gateway's
/// <see cref="PointDecoder"/> reads them back: scale and offset, word order (<see cref="RegisterCodec"/>),
/// labels, bitfield flags (with inversion) and series, ASCII strings. Values are rounded to the nearest raw
/// step and clamped to what the type holds (an insulation above range reads as the top value).
/// </summary>
public static class PointEncoder
{
    /// <summary>Encodes a register point; false when <paramref name="values"/> has nothing for it (its registers are left alone).</summary>
    public static bool TryEncode(PointDefinition point, DeviceValues values, Span<ushort> registers)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(values);
        switch (point.Type)
        {
            case DataType.Bitfield:
                return EncodeBitfield(point, values, registers);
            case DataType.String:
                if (values.Find(point.Name, point.Circuit) is not { Kind: PointValueKind.Text } text)
                {
                    return false;
                }

                var printable = new string([.. text.AsText.Select(c => c is >= ' ' and <= '~' ? c : '?').Take(2 * point.Length)]);
                RegisterCodec.WriteAscii(printable, registers, point.WordOrder);
                return true;
            default:
                if (values.Find(point.Name, point.Circuit) is not { } value || Number(point, value) is not { } number)
                {
                    return false;
                }

                RegisterCodec.WriteRaw(Raw(point, number), registers, point.WordOrder);
                return true;
        }
    }

    /// <summary>The state of a bit point, or null when <paramref name="values"/> has nothing for it.</summary>
    public static bool? Bit(PointDefinition point, DeviceValues values)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(values);
        return values.Find(point.Name, point.Circuit) is { } value ? Truth(value) : null;
    }

    /// <summary>The raw bits of an engineering value of a numeric point.</summary>
    public static ulong Raw(PointDefinition point, double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        var scaled = (value - (double)point.Offset) / (double)point.Scale;
        if (point.Type == DataType.F32)
        {
            return BitConverter.SingleToUInt32Bits((float)scaled);
        }

        var rounded = double.IsFinite(scaled) ? Math.Round(scaled, MidpointRounding.AwayFromZero) : 0;
        return point.Type switch
        {
            DataType.U16 => (ulong)Math.Clamp(rounded, 0, ushort.MaxValue),
            DataType.S16 => (ulong)(ushort)(short)Math.Clamp(rounded, short.MinValue, short.MaxValue),
            DataType.U32 => (ulong)Math.Clamp(rounded, 0, uint.MaxValue),
            DataType.S32 => (ulong)(uint)(int)Math.Clamp(rounded, int.MinValue, int.MaxValue),
            DataType.U64 => rounded <= 0 ? 0 : rounded >= ulong.MaxValue ? ulong.MaxValue : (ulong)rounded,
            _ => throw new ArgumentException($"point {point} is not a number", nameof(point)),
        };
    }

    private static bool EncodeBitfield(PointDefinition point, DeviceValues values, Span<ushort> registers)
    {
        var layout = point.Bitfield!;
        ulong raw = 0;
        var any = false;
        foreach (var flag in layout.Flags)
        {
            var value = values.Find(flag.Name, point.Circuit);
            any |= value is not null;
            if ((value is { } v && Truth(v)) ^ flag.Invert)
            {
                raw |= 1UL << flag.Bit;
            }
        }

        if (layout.Series is { } series)
        {
            for (var n = 1; n <= series.Count; n++)
            {
                var value = values.Find(series.NameOf(n), point.Circuit);
                any |= value is not null;
                if (value is { } v && Truth(v))
                {
                    raw |= 1UL << (series.FirstBit + n - 1);
                }
            }
        }

        if (any)
        {
            RegisterCodec.WriteRaw(raw, registers, point.WordOrder);
        }

        return any;
    }

    private static double? Number(PointDefinition point, PointValue value) => value.Kind switch
    {
        PointValueKind.Integer or PointValueKind.Real => value.AsReal,
        PointValueKind.Boolean => value.AsBoolean ? 1 : 0,
        _ => point.Labels.FirstOrDefault(l => l.Value == value.AsText) is { Value: not null } label ? label.Key : null,
    };

    private static bool Truth(PointValue value) => value.Kind switch
    {
        PointValueKind.Boolean => value.AsBoolean,
        PointValueKind.Integer or PointValueKind.Real => value.AsReal != 0,
        _ => false,
    };
}
