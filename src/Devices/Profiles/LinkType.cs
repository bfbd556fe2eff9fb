namespace Telemetry.Devices.Profiles;

/// <summary>How a gateway reaches a device.</summary>
public enum LinkType
{
    /// <summary><c>tcp</c>: Modbus TCP.</summary>
    Tcp,

    /// <summary><c>rtu</c>: Modbus RTU on an RS-485 bus.</summary>
    Rtu,
}
