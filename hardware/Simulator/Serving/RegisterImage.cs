using Telemetry.Devices.Profiles;
using Telemetry.Modbus;
using Telemetry.Simulator.Plant;

namespace Telemetry.Simulator.Serving;

/// <summary>
/// The Modbus tables of one simulated device: a <see cref="ModbusRegisterMap"/> spanning each table's points,
/// refreshed from the device's values in one locked step, so a master never reads half an update.
/// </summary>
public sealed class RegisterImage : IDisposable
{
    private readonly DeviceProfile profile;

    public RegisterImage(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        this.profile = profile;
        Map = new ModbusRegisterMap(Span(RegisterTable.Coil), Span(RegisterTable.DiscreteInput), Span(RegisterTable.Holding), Span(RegisterTable.Input));
    }

    public ModbusRegisterMap Map { get; }

    /// <summary>Writes every point the values cover; points without a value keep their registers (what a master last wrote).</summary>
    public void Render(DeviceValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Map.Update(tables =>
        {
            foreach (var point in profile.Points)
            {
                var range = Map.RangeOf(ToModbus(point.Table));
                var offset = point.Address - range.Start;
                switch (point.Table)
                {
                    case RegisterTable.Coil:
                        if (PointEncoder.Bit(point, values) is { } coil)
                        {
                            tables.Coils[offset] = coil ? (byte)1 : (byte)0;
                        }

                        break;
                    case RegisterTable.DiscreteInput:
                        if (PointEncoder.Bit(point, values) is { } input)
                        {
                            tables.DiscreteInputs[offset] = input ? (byte)1 : (byte)0;
                        }

                        break;
                    case RegisterTable.Holding:
                        PointEncoder.TryEncode(point, values, tables.HoldingRegisters.Slice(offset, point.Length));
                        break;
                    default:
                        PointEncoder.TryEncode(point, values, tables.InputRegisters.Slice(offset, point.Length));
                        break;
                }
            }
        });
    }

    public void Dispose() => Map.Dispose();

    public static ModbusTable ToModbus(RegisterTable table) => table switch
    {
        RegisterTable.Coil => ModbusTable.Coils,
        RegisterTable.DiscreteInput => ModbusTable.DiscreteInputs,
        RegisterTable.Holding => ModbusTable.HoldingRegisters,
        _ => ModbusTable.InputRegisters,
    };

    private ModbusAddressRange Span(RegisterTable table)
    {
        var points = profile.Points.Where(p => p.Table == table).ToList();
        if (points.Count == 0)
        {
            return ModbusAddressRange.None;
        }

        var start = points.Min(p => p.Address);
        return new ModbusAddressRange(start, points.Max(p => p.End) - start);
    }
}
