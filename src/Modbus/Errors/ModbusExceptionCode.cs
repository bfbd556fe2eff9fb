namespace Telemetry.Modbus;

/// <summary>
/// The exception codes a Modbus server answers with (Modbus Application Protocol V1.1b, section 7;
/// <c>MODBUS_EXCEPTION_*</c> in <c>modbus.h</c>). Other values may arrive from non-conforming devices.
/// </summary>
public enum ModbusExceptionCode
{
    /// <summary>01: the function code is not supported by the server.</summary>
    IllegalFunction = 1,

    /// <summary>02: the address (or address + count) is outside the server's tables.</summary>
    IllegalDataAddress = 2,

    /// <summary>03: a value in the request is not allowed (count, coil value...).</summary>
    IllegalDataValue = 3,

    /// <summary>04: unrecoverable error while the server performed the action.</summary>
    ServerDeviceFailure = 4,

    /// <summary>05: accepted, a long-running action is in progress.</summary>
    Acknowledge = 5,

    /// <summary>06: the server is busy; retry later.</summary>
    ServerDeviceBusy = 6,

    /// <summary>07: the server cannot perform the program function.</summary>
    NegativeAcknowledge = 7,

    /// <summary>08: parity error in the server's extended memory.</summary>
    MemoryParityError = 8,

    /// <summary>10 (0x0A): a gateway found no path to the target.</summary>
    GatewayPathUnavailable = 10,

    /// <summary>11 (0x0B): a gateway got no answer from the target device.</summary>
    GatewayTargetFailedToRespond = 11,
}
