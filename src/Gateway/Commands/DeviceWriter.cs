using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Polling;
using Telemetry.Modbus;

namespace Telemetry.Gateway.Commands;

/// <summary>Writes validated requests to a device through its link, in order, stopping at the first the device refuses.</summary>
public static class DeviceWriter
{
    public static async Task<CommandOutcome> WriteAsync(LinkWorker worker, SiteDevice device, IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken)
    {
        try
        {
            await worker.ExecuteAsync(
                async (master, ct) =>
                {
                    foreach (var write in writes)
                    {
                        await WriteOneAsync(master, device.UnitId, write, ct);
                    }

                    return true;
                },
                cancellationToken);
            return CommandOutcome.Done;
        }
        catch (ModbusException ex)
        {
            return CommandOutcome.DeviceError(DeviceReader.Describe(ex).Text);
        }
    }

    private static Task WriteOneAsync(ModbusMaster master, int unit, WriteRequest write, CancellationToken cancellationToken) => write.FunctionCode switch
    {
        5 => master.WriteSingleCoilAsync(unit, write.Address, write.Bits[0], cancellationToken),
        15 => master.WriteMultipleCoilsAsync(unit, write.Address, write.Bits, cancellationToken),
        6 => master.WriteSingleRegisterAsync(unit, write.Address, write.Registers[0], cancellationToken),
        _ => master.WriteMultipleRegistersAsync(unit, write.Address, write.Registers, cancellationToken),
    };
}
