namespace Telemetry.Modbus;

/// <summary>
/// No complete answer arrived within the response timeout (or a byte of it within the byte timeout):
/// <c>ETIMEDOUT</c>. The device may be off, silent, or the unit id may not exist on the bus.
/// </summary>
public sealed class ModbusTimeoutException : ModbusException
{
    /// <summary>Creates the exception for a request that got no answer in time.</summary>
    /// <param name="operation">What was attempted.</param>
    /// <param name="endpoint">The peer, when known.</param>
    /// <param name="unitId">The unit (slave) id of the request.</param>
    /// <param name="address">The first address of the request.</param>
    /// <param name="count">The number of values of the request.</param>
    /// <param name="errorNumber">The <c>errno</c> libmodbus reported (<c>ETIMEDOUT</c>).</param>
    /// <param name="nativeMessage">libmodbus's text for it.</param>
    public ModbusTimeoutException(string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string nativeMessage)
        : base(operation, endpoint, unitId, address, count, errorNumber, nativeMessage)
    {
    }
}
