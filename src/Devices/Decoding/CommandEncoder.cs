using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Decoding;

/// <summary>
/// Turns a command value into the write that carries it: checks the point is writable and the value allowed
/// (labels, min/max, what the type holds, a whole multiple of the scale), then encodes it as
/// <see cref="PointDecoder"/> would decode it.
/// </summary>
public static class CommandEncoder
{
    /// <summary>The write of <paramref name="value"/> to point <paramref name="name"/> (of <paramref name="circuit"/>).</summary>
    /// <exception cref="WriteRejectedException">The point is unknown or read-only, or the value is not allowed.</exception>
    public static WriteRequest Encode(DeviceProfile profile, string name, int? circuit, PointValue value)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(name);
        return TryEncode(profile, name, circuit, value, out var request, out var rejection)
            ? request
            : throw new WriteRejectedException(rejection);
    }

    /// <summary>The write of <paramref name="value"/> to <paramref name="point"/>.</summary>
    /// <exception cref="WriteRejectedException">The point is read-only, or the value is not allowed.</exception>
    public static WriteRequest Encode(PointDefinition point, PointValue value)
    {
        ArgumentNullException.ThrowIfNull(point);
        return TryEncode(point, value, out var request, out var rejection)
            ? request
            : throw new WriteRejectedException(rejection);
    }

    /// <summary>Like <see cref="Encode(DeviceProfile, string, int?, PointValue)"/>, reporting a refusal instead of throwing.</summary>
    public static bool TryEncode(
        DeviceProfile profile,
        string name,
        int? circuit,
        PointValue value,
        [NotNullWhen(true)] out WriteRequest? request,
        [NotNullWhen(false)] out WriteRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(name);
        if (profile.FindPoint(name, circuit) is not { } point)
        {
            request = null;
            var where = circuit is null ? "at device level" : $"in circuit {circuit} (the profile has {profile.CircuitCount} circuits)";
            rejection = new WriteRejection(name, circuit, WriteRejectionReason.UnknownPoint, $"model {profile.Model} has no such point {where}");
            return false;
        }

        return TryEncode(point, value, out request, out rejection);
    }

    /// <summary>Like <see cref="Encode(PointDefinition, PointValue)"/>, reporting a refusal instead of throwing.</summary>
    public static bool TryEncode(
        PointDefinition point,
        PointValue value,
        [NotNullWhen(true)] out WriteRequest? request,
        [NotNullWhen(false)] out WriteRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(point);
        request = null;
        rejection = point.Write is not { } write
            ? Reject(point, WriteRejectionReason.NotWritable, "the point is read-only")
            : point.Type switch
            {
                DataType.Bit => EncodeBit(point, write, value, out request),
                DataType.String => EncodeText(point, write, value, out request),
                _ => EncodeNumber(point, write, value, out request),
            };
        return rejection is null;
    }

    private static WriteRejection? EncodeBit(PointDefinition point, WriteAccess write, PointValue value, out WriteRequest? request)
    {
        request = null;
        bool? bit = value.Kind switch
        {
            PointValueKind.Boolean => value.AsBoolean,
            PointValueKind.Integer when value.AsInteger is 0 or 1 => value.AsInteger == 1,
            PointValueKind.Real when value.AsReal is 0 or 1 => value.AsReal == 1,
            _ => null,
        };
        if (bit is null)
        {
            return Reject(point, WriteRejectionReason.WrongValueType, $"a coil takes true/false (or 1/0), not {Describe(value)}");
        }

        request = new WriteRequest(point, write.FunctionCode, [], [bit.Value]);
        return null;
    }

    private static WriteRejection? EncodeText(PointDefinition point, WriteAccess write, PointValue value, out WriteRequest? request)
    {
        request = null;
        if (value.Kind != PointValueKind.Text)
        {
            return Reject(point, WriteRejectionReason.WrongValueType, $"a string point takes text, not {Describe(value)}");
        }

        var text = value.AsText;
        if (!RegisterCodec.IsPrintableAscii(text))
        {
            return Reject(point, WriteRejectionReason.NotRepresentable, "the text is not printable ASCII");
        }

        if (text.Length > 2 * point.Length)
        {
            return Reject(point, WriteRejectionReason.OutOfRange, $"{text.Length} characters do not fit {point.Length} registers ({2 * point.Length} at most)");
        }

        var registers = new ushort[point.Length];
        RegisterCodec.WriteAscii(text, registers, point.WordOrder);
        request = new WriteRequest(point, write.FunctionCode, registers, []);
        return null;
    }

    private static WriteRejection? EncodeNumber(PointDefinition point, WriteAccess write, PointValue value, out WriteRequest? request)
    {
        request = null;
        double number;
        long? whole = null; // kept exact: a double holds only 53 bits of a u64
        switch (value.Kind)
        {
            case PointValueKind.Integer:
                whole = value.AsInteger;
                number = whole.Value;
                break;
            case PointValueKind.Real:
                number = value.AsReal;
                break;
            case PointValueKind.Boolean:
                whole = value.AsBoolean ? 1 : 0;
                number = whole.Value;
                break;
            default:
                var label = point.Labels.FirstOrDefault(l => string.Equals(l.Value, value.AsText, StringComparison.Ordinal));
                if (label.Value is null)
                {
                    return point.Labels.Count > 0
                        ? Reject(point, WriteRejectionReason.NotAllowed, $"'{value.AsText}' is none of the labels {ListLabels(point)}")
                        : Reject(point, WriteRejectionReason.WrongValueType, $"a {point.Type.ToJsonName()} point takes a number, not text");
                }

                whole = label.Key;
                number = whole.Value;
                break;
        }

        if (!double.IsFinite(number))
        {
            return Reject(point, WriteRejectionReason.NotRepresentable, $"{Format(number)} is not a finite number");
        }

        if (point.Labels.Count > 0 && (number != Math.Floor(number) || !point.Labels.ContainsKey((long)number)))
        {
            return Reject(point, WriteRejectionReason.NotAllowed, $"{Format(number)} is none of the allowed values {ListLabels(point)}");
        }

        if ((write.Minimum is { } min && number < min) || (write.Maximum is { } max && number > max))
        {
            return Reject(point, WriteRejectionReason.OutOfRange,
                $"{Format(number)} is outside {Format(write.Minimum)}..{Format(write.Maximum)}");
        }

        var registers = new ushort[point.Length];
        if (point.Type == DataType.F32)
        {
            var single = (float)((number - (double)point.Offset) / (double)point.Scale);
            if (!float.IsFinite(single))
            {
                return Reject(point, WriteRejectionReason.OutOfRange, $"{Format(number)} does not fit an f32");
            }

            RegisterCodec.WriteRaw(BitConverter.SingleToUInt32Bits(single), registers, point.WordOrder);
        }
        else
        {
            if (RawOf(point, whole, number) is not { } raw)
            {
                return Reject(point, WriteRejectionReason.OutOfRange, $"{Format(number)} is beyond what a {point.Type.ToJsonName()} holds");
            }

            if (raw != decimal.Truncate(raw))
            {
                return Reject(point, WriteRejectionReason.NotRepresentable,
                    $"{Format(number)} is not a whole multiple of the scale {point.Scale.ToString(CultureInfo.InvariantCulture)} (raw {raw.ToString(CultureInfo.InvariantCulture)})");
            }

            var (lowest, highest) = point.Type == DataType.Bitfield
                ? (0m, point.Length == 1 ? ushort.MaxValue : (decimal)uint.MaxValue)
                : ProfileBuilder.RawRange(point.Type);
            if (raw < lowest || raw > highest)
            {
                return Reject(point, WriteRejectionReason.OutOfRange,
                    $"{Format(number)} needs raw {raw.ToString(CultureInfo.InvariantCulture)}, outside {lowest}..{highest} of a {point.Type.ToJsonName()}");
            }

            // Two's complement of negative raw values, truncated to the registers' width by WriteRaw.
            var bits = raw < 0 ? unchecked((ulong)(long)raw) : (ulong)raw;
            RegisterCodec.WriteRaw(bits, registers, point.WordOrder);
        }

        request = new WriteRequest(point, write.FunctionCode, registers, []);
        return null;
    }

    private static decimal? RawOf(PointDefinition point, long? whole, double number)
    {
        try
        {
            return ((whole ?? (decimal)number) - point.Offset) / point.Scale;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static WriteRejection Reject(PointDefinition point, WriteRejectionReason reason, string detail) =>
        new(point.Name, point.Circuit, reason, detail);

    private static string ListLabels(PointDefinition point) =>
        string.Join(", ", point.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key} ({l.Value})"));

    private static string Describe(PointValue value) => $"{value.Kind.ToString().ToLowerInvariant()} {value}";

    private static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
