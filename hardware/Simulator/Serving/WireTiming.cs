using Telemetry.Devices.Sites;
using Telemetry.Modbus;

namespace Telemetry.Simulator.Serving;

/// <summary>
/// The time a request and its answer take on a real RS-485 line, which the simulator waits before answering.
/// </summary>
/// <remarks>
/// A socat pseudo-terminal pair moves bytes as fast as the kernel copies them, whatever baud rate either end
/// set, so a master polling through it would see a bus hundreds of times faster than the wire. A device on a
/// real line answers no sooner than: its request has been sent (request bytes × bits per character / baud),
/// the line has been silent 3.5 characters (end of frame), its answer has been sent, and the line has been
/// silent 3.5 characters again before the master may speak. The server delays each answer by that sum, so
/// the master's cycle through the pty cannot beat the wire and a comparison with the wire-time bound is
/// honest. (Bytes still arrive at the master at once, which only spares it the inter-byte waits.)
/// </remarks>
public static class WireTiming
{
    /// <summary>The bytes of an RTU frame around a PDU: unit id and CRC.</summary>
    public const int RtuOverheadBytes = 3;

    /// <summary>Line time of one transaction: request and answer frames, each followed by 3.5 characters of silence.</summary>
    public static TimeSpan Transaction(int requestBytes, int responseBytes, RtuLink line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var characters = requestBytes + responseBytes + 3.5 + 3.5;
        return TimeSpan.FromTicks((long)Math.Round(characters * line.BitsPerCharacter * TimeSpan.TicksPerSecond / line.BaudRate));
    }

    /// <summary>The RTU frame length of the answer <paramref name="decision"/> gives <paramref name="request"/> (0 for silence).</summary>
    public static int ResponseBytes(ModbusRequest request, ModbusResponse decision)
    {
        ArgumentNullException.ThrowIfNull(request);
        return decision.Kind switch
        {
            ModbusResponseKind.Silence => 0,
            ModbusResponseKind.Exception => 5,
            _ => request.FunctionCode switch
            {
                1 or 2 => RtuOverheadBytes + 2 + ((request.Count + 7) / 8),
                3 or 4 => RtuOverheadBytes + 2 + (2 * request.Count),
                5 or 6 or 15 or 16 => RtuOverheadBytes + 5,
                _ => 5,
            },
        };
    }

    /// <summary>The RTU frame length of <paramref name="request"/>.</summary>
    public static int RequestBytes(ModbusRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Pdu.Length + RtuOverheadBytes;
    }

    /// <summary>RTU frame bytes of a read of <paramref name="count"/> registers or bits (request, response).</summary>
    public static (int Request, int Response) ReadFrames(int functionCode, int count) =>
        (8, functionCode is 1 or 2 ? 5 + ((count + 7) / 8) : 5 + (2 * count));
}
