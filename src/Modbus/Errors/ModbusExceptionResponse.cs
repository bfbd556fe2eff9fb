namespace Telemetry.Modbus;

/// <summary>The device answered the request with a Modbus exception code (<c>EMBX*</c> errno values).</summary>
public sealed class ModbusExceptionResponse : ModbusException
{
    /// <summary>Creates the exception for a request answered with <paramref name="code"/>.</summary>
    /// <param name="code">The exception code the device sent.</param>
    /// <param name="operation">What was attempted.</param>
    /// <param name="endpoint">The peer, when known.</param>
    /// <param name="unitId">The unit (slave) id of the request.</param>
    /// <param name="address">The first address of the request.</param>
    /// <param name="count">The number of values of the request.</param>
    /// <param name="errorNumber">The <c>errno</c> libmodbus reported (<c>MODBUS_ENOBASE</c> + code).</param>
    /// <param name="nativeMessage">libmodbus's text for the code.</param>
    public ModbusExceptionResponse(ModbusExceptionCode code, string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string nativeMessage)
        : base(operation, endpoint, unitId, address, count, errorNumber, nativeMessage, $"exception {(int)code} ({code}): {nativeMessage}")
    {
        Code = code;
    }

    /// <summary>The exception code the device answered with.</summary>
    public ModbusExceptionCode Code { get; }
}
