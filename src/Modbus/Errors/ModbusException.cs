using System.Globalization;
using System.Text;

namespace Telemetry.Modbus;

/// <summary>
/// A Modbus operation failed. The concrete type tells why: <see cref="ModbusExceptionResponse"/> (the
/// device answered with an exception code), <see cref="ModbusTimeoutException"/> (no answer in time),
/// <see cref="ModbusLinkException"/> (connection or serial port) or <see cref="ModbusFrameException"/>
/// (an answer arrived but was malformed). The message names the operation, endpoint, unit, address and count.
/// </summary>
public class ModbusException : Exception
{
    /// <summary>Creates an exception with a plain message and no request details.</summary>
    public ModbusException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a plain message, a cause and no request details.</summary>
    public ModbusException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
        NativeMessage = string.Empty;
    }

    /// <summary>Creates an exception describing a failed request.</summary>
    /// <param name="operation">What was attempted, e.g. <c>ReadHoldingRegisters</c>.</param>
    /// <param name="endpoint">The peer, e.g. <c>tcp://10.0.0.5:502</c> or <c>/dev/ttyUSB0</c>.</param>
    /// <param name="unitId">The unit (slave) id, when the request had one.</param>
    /// <param name="address">The first address, when the request had one.</param>
    /// <param name="count">The number of values, when the request had one.</param>
    /// <param name="errorNumber">The <c>errno</c> libmodbus reported (0 if none).</param>
    /// <param name="nativeMessage">libmodbus's text for <paramref name="errorNumber"/> (<c>modbus_strerror</c>).</param>
    public ModbusException(string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string nativeMessage)
        : this(operation, endpoint, unitId, address, count, errorNumber, nativeMessage, nativeMessage)
    {
    }

    private protected ModbusException(string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string nativeMessage, string detail)
        : base(Describe(operation, endpoint, unitId, address, count, errorNumber, detail))
    {
        Operation = operation;
        Endpoint = endpoint;
        UnitId = unitId;
        Address = address;
        Count = count;
        ErrorNumber = errorNumber;
        NativeMessage = nativeMessage;
    }

    /// <summary>What was attempted, e.g. <c>ReadHoldingRegisters</c> or <c>Connect</c>; empty when unknown.</summary>
    public string Operation { get; }

    /// <summary>The peer the master talked to, when known.</summary>
    public string? Endpoint { get; }

    /// <summary>The unit (slave) id of the request, when it had one.</summary>
    public int? UnitId { get; }

    /// <summary>The first address of the request, when it had one.</summary>
    public int? Address { get; }

    /// <summary>The number of values of the request, when it had one.</summary>
    public int? Count { get; }

    /// <summary>The <c>errno</c> value libmodbus set (0 when the failure did not come from libmodbus).</summary>
    public int ErrorNumber { get; }

    /// <summary>libmodbus's description of <see cref="ErrorNumber"/> (<c>modbus_strerror</c>).</summary>
    public string NativeMessage { get; }

    private static string Describe(string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string detail)
    {
        var text = new StringBuilder(operation);
        if (!string.IsNullOrEmpty(endpoint))
        {
            text.Append(" on ").Append(endpoint);
        }

        var details = new List<string>(3);
        if (unitId is { } unit)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"unit {unit}"));
        }

        if (address is { } first)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"address {first}"));
        }

        if (count is { } number)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"count {number}"));
        }

        if (details.Count > 0)
        {
            text.Append(" (").AppendJoin(", ", details).Append(')');
        }

        text.Append(" failed: ").Append(detail);
        if (errorNumber != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" (errno {errorNumber})");
        }

        return text.ToString();
    }
}
