namespace Telemetry.Modbus;

/// <summary>
/// The connection or the serial port failed: connection refused or reset, broken pipe, bad descriptor,
/// a serial device that cannot be opened or configured... <see cref="ModbusException.ErrorNumber"/> is the
/// <c>errno</c> and <see cref="ModbusException.NativeMessage"/> its text. A master closes its connection
/// after this error and connects again on its next call.
/// </summary>
public sealed class ModbusLinkException : ModbusException
{
    /// <summary>Creates the exception for a failed connection or port.</summary>
    /// <param name="operation">What was attempted.</param>
    /// <param name="endpoint">The peer, when known.</param>
    /// <param name="unitId">The unit (slave) id of the request, if any.</param>
    /// <param name="address">The first address of the request, if any.</param>
    /// <param name="count">The number of values of the request, if any.</param>
    /// <param name="errorNumber">The <c>errno</c>.</param>
    /// <param name="nativeMessage">Its text (<c>modbus_strerror</c>, i.e. <c>strerror</c> for system errors).</param>
    public ModbusLinkException(string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string nativeMessage)
        : base(operation, endpoint, unitId, address, count, errorNumber, nativeMessage)
    {
    }
}
