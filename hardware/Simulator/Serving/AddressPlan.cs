using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Modbus;
using Telemetry.Simulator.Plant;

namespace Telemetry.Simulator.Serving;

/// <summary>
/// Which requests a device model answers, derived from its profile as a real device of that model would
/// behave: reads within blocks of points (merged across gaps up to the profile's gap limit, which the device
/// tolerates) and up to its per-read limit; writes only to whole writable points, with the function code the
/// profile demands and values the profile allows.
/// </summary>
public sealed class AddressPlan
{
    private readonly DeviceProfile profile;
    private readonly Dictionary<RegisterTable, List<(int Start, int End)>> blocks = [];
    private readonly Dictionary<(RegisterTable Table, int Address), PointDefinition> owners = [];

    public AddressPlan(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        this.profile = profile;
        foreach (var table in profile.Points.GroupBy(p => p.Table))
        {
            var gap = profile.Limits.MaxGap(table.Key);
            var merged = new List<(int Start, int End)>();
            foreach (var point in table.OrderBy(p => p.Address))
            {
                if (merged.Count > 0 && point.Address - merged[^1].End <= gap)
                {
                    merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, point.End));
                }
                else
                {
                    merged.Add((point.Address, point.End));
                }

                for (var a = point.Address; a < point.End; a++)
                {
                    owners[(table.Key, a)] = point;
                }
            }

            blocks[table.Key] = merged;
        }
    }

    /// <summary>The exception a read gets, or null when the device answers it.</summary>
    public ModbusExceptionCode? CheckRead(RegisterTable table, int address, int count)
    {
        if (count < 1 || count > profile.Limits.MaxLength(table))
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        return blocks.TryGetValue(table, out var list) && list.Any(b => address >= b.Start && address + count <= b.End)
            ? null
            : ModbusExceptionCode.IllegalDataAddress;
    }

    /// <summary>
    /// Decodes a write into the values of the points it covers, or the exception the device answers with:
    /// illegal address for an address of no point, part of a point or a read-only point; illegal function for a
    /// function the point refuses; illegal value for a value outside the point's range or labels.
    /// </summary>
    public (IReadOnlyList<WrittenValue> Values, ModbusExceptionCode? Error) Decode(ModbusWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var table = write.Table == ModbusTable.Coils ? RegisterTable.Coil : RegisterTable.Holding;
        var values = new List<WrittenValue>();
        var address = write.Address;
        var end = write.Address + write.Count;
        while (address < end)
        {
            if (!owners.TryGetValue((table, address), out var point) || point.Address != address || point.End > end)
            {
                return ([], ModbusExceptionCode.IllegalDataAddress);
            }

            if (point.Write is not { } access)
            {
                return ([], ModbusExceptionCode.IllegalDataAddress);
            }

            // A single register or coil whose profile asks for the multiple-write function refuses the short one.
            var function = (byte)write.Function;
            if (point.Length == 1 && access.FunctionCode is 15 or 16 && function is 5 or 6)
            {
                return ([], ModbusExceptionCode.IllegalFunction);
            }

            if (table == RegisterTable.Coil)
            {
                values.Add(new WrittenValue(point, point.Name, PointValue.FromBoolean(write.CoilValues[address - write.Address])));
            }
            else
            {
                var registers = write.RegisterValues.Skip(address - write.Address).Take(point.Length).ToArray();
                var decoded = PointDecoder.DecodePoint(point, registers);
                if (decoded.Rejected.Count > 0)
                {
                    return ([], ModbusExceptionCode.IllegalDataValue);
                }

                foreach (var value in decoded.Values)
                {
                    if (point.Bitfield is null && !CommandEncoder.TryEncode(point, value.Value, out _, out _))
                    {
                        return ([], ModbusExceptionCode.IllegalDataValue);
                    }

                    values.Add(new WrittenValue(point, value.Name, value.Value));
                }
            }

            address = point.End;
        }

        return (values, null);
    }

    /// <summary>The values a command write carries (for commands that do not travel through Modbus).</summary>
    public static IReadOnlyList<WrittenValue> Values(WriteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Point.Table.HoldsBits())
        {
            return [new WrittenValue(request.Point, request.Point.Name, PointValue.FromBoolean(request.Bits[0]))];
        }

        return [.. PointDecoder.DecodePoint(request.Point, request.Registers.ToArray()).Values.Select(v => new WrittenValue(request.Point, v.Name, v.Value))];
    }

    public static RegisterTable? TableOf(int readFunction) => readFunction switch
    {
        1 => RegisterTable.Coil,
        2 => RegisterTable.DiscreteInput,
        3 => RegisterTable.Holding,
        4 => RegisterTable.Input,
        _ => null,
    };
}
