using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;

namespace Telemetry.Gateway.Polling;

/// <summary>The outcome of reading one device once: its readings (one per circuit plus the device level), or why it failed.</summary>
public sealed record DeviceReadResult(IReadOnlyList<Reading> Readings, DecodedReading? Decoded, string? Error, ErrorKind? ErrorKind)
{
    public bool Succeeded => Error is null;
}

/// <summary>The kinds of failure counted in the health document.</summary>
public enum ErrorKind
{
    Timeout,
    ModbusException,
    Link,
    Frame,
    Decoding,
    BackedOff,
    Other,
}

/// <summary>Reads a device through its poll plan and turns the registers into contract readings.</summary>
public static class DeviceReader
{
    public static async Task<DeviceReadResult> ReadAsync(ModbusMaster master, SiteDevice device, PollPlan plan, DateTimeOffset ts, Func<CancellationToken, Task>? betweenFrames, CancellationToken cancellationToken)
    {
        var blocks = new List<BlockResult>(plan.Requests.Count);
        var pending = new Queue<ReadRequest>(plan.Requests);
        while (pending.TryDequeue(out var request))
        {
            try
            {
                blocks.Add(await ReadBlockAsync(master, device.UnitId, request, cancellationToken));
            }
            catch (ModbusExceptionResponse ex) when (ex.Code == ModbusExceptionCode.IllegalDataAddress)
            {
                // Split the read so one missing register does not blind the rest; the smaller reads go now.
                foreach (var replacement in plan.ReportIllegalAddress(request).Replacements)
                {
                    pending.Enqueue(replacement);
                }
            }
            catch (ModbusException ex)
            {
                var (kind, text) = Describe(ex);
                return Failure(device, ts, text, kind);
            }
            finally
            {
                if (betweenFrames is not null)
                {
                    await betweenFrames(cancellationToken);
                }
            }
        }

        if (blocks.Count == 0)
        {
            return Failure(device, ts, "no point of the profile could be read (every address refused)", ErrorKind.ModbusException);
        }

        var decoded = PointDecoder.Decode(blocks);
        return new DeviceReadResult(ToReadings(device, decoded, ts), decoded, null, null);
    }

    public static DeviceReadResult Failure(SiteDevice device, DateTimeOffset ts, string error, ErrorKind kind) =>
        new([ErrorReading(device, ts, error)], null, error, kind);

    public static Reading ErrorReading(SiteDevice device, DateTimeOffset ts, string error) => new()
    {
        Device = device.Id,
        Family = device.Family,
        Ts = ts,
        Quality = ReadingQuality.Error,
        Error = error,
    };

    /// <summary>One reading for the device-level values and one per circuit, <c>circuit</c> set.</summary>
    public static IReadOnlyList<Reading> ToReadings(SiteDevice device, DecodedReading decoded, DateTimeOffset ts)
    {
        var readings = new List<Reading>(1 + decoded.Circuits.Count);
        var deviceValues = decoded.ReadingValuesOf(null);
        if (deviceValues.Count > 0 || decoded.Circuits.Count == 0)
        {
            readings.Add(new Reading { Device = device.Id, Family = device.Family, Ts = ts, Values = deviceValues });
        }

        foreach (var circuit in decoded.Circuits)
        {
            var values = decoded.ReadingValuesOf(circuit);
            if (values.Count > 0)
            {
                readings.Add(new Reading
                {
                    Device = device.Id,
                    Family = device.Family,
                    Ts = ts,
                    Circuit = circuit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Values = values,
                });
            }
        }

        return readings;
    }

    public static (ErrorKind Kind, string Text) Describe(ModbusException ex) => ex switch
    {
        ModbusTimeoutException => (ErrorKind.Timeout, "modbus timeout"),
        ModbusExceptionResponse response => (ErrorKind.ModbusException, $"modbus exception {(int)response.Code} ({response.Code})"),
        ModbusLinkException => (ErrorKind.Link, $"link error: {ex.NativeMessage}"),
        ModbusFrameException => (ErrorKind.Frame, $"bad frame: {ex.NativeMessage}"),
        _ => (ErrorKind.Other, ex.Message),
    };

    private static async Task<BlockResult> ReadBlockAsync(ModbusMaster master, int unit, ReadRequest request, CancellationToken cancellationToken) => request.Table switch
    {
        RegisterTable.Coil => BlockResult.FromBits(request, await master.ReadCoilsAsync(unit, request.Start, request.Count, cancellationToken)),
        RegisterTable.DiscreteInput => BlockResult.FromBits(request, await master.ReadDiscreteInputsAsync(unit, request.Start, request.Count, cancellationToken)),
        RegisterTable.Holding => BlockResult.FromRegisters(request, await master.ReadHoldingRegistersAsync(unit, request.Start, request.Count, cancellationToken)),
        _ => BlockResult.FromRegisters(request, await master.ReadInputRegistersAsync(unit, request.Start, request.Count, cancellationToken)),
    };
}
