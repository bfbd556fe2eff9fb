namespace Telemetry.Modbus;

/// <summary>
/// An answer arrived but could not be used: bad CRC (<c>EMBBADCRC</c>), data not matching the request
/// (<c>EMBBADDATA</c>, e.g. wrong transaction id or count), invalid or unknown exception code
/// (<c>EMBBADEXC</c>, <c>EMBUNKEXC</c>), too many data (<c>EMBMDATA</c>) or an answer from another
/// unit (<c>EMBBADSLAVE</c>).
/// </summary>
public sealed class ModbusFrameException : ModbusException
{
    /// <summary>Creates the exception for an unusable answer.</summary>
    /// <param name="operation">What was attempted.</param>
    /// <param name="endpoint">The peer, when known.</param>
    /// <param name="unitId">The unit (slave) id of the request.</param>
    /// <param name="address">The first address of the request.</param>
    /// <param name="count">The number of values of the request.</param>
    /// <param name="errorNumber">The <c>errno</c> libmodbus reported.</param>
    /// <param name="nativeMessage">libmodbus's text for it.</param>
    public ModbusFrameException(string operation, string? endpoint, int? unitId, int? address, int? count, int errorNumber, string nativeMessage)
        : base(operation, endpoint, unitId, address, count, errorNumber, nativeMessage)
    {
    }
}
