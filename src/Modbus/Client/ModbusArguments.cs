using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>Checks done before any native call, so libmodbus never sees (or silently truncates) a bad request.</summary>
internal static class ModbusArguments
{
    public const int MaxUnitId = 247;

    /// <summary>0..247 (0 is broadcast on RTU); Modbus TCP also allows 255, "the device itself" (<c>MODBUS_TCP_SLAVE</c>).</summary>
    public static void UnitId(int unitId, bool tcp)
    {
        if (unitId is < 0 or > MaxUnitId && !(tcp && unitId == LibModbus.TcpSlave))
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, tcp ? "The unit id must be 0 to 247, or 255." : "The unit id must be 0 to 247.");
        }
    }

    public static void Block(int address, int count, int maxCount, string addressName = "address", string countName = "count")
    {
        if (count < 1 || count > maxCount)
        {
            throw new ArgumentOutOfRangeException(countName, count, $"The count must be 1 to {maxCount}.");
        }

        Address(address, addressName);
        if (address + count > 0x10000)
        {
            throw new ArgumentOutOfRangeException(countName, count, $"Address {address} + count {count} runs past 65535.");
        }
    }

    public static void Address(int address, string name = "address")
    {
        if (address is < 0 or > 0xFFFF)
        {
            throw new ArgumentOutOfRangeException(name, address, "The address must be 0 to 65535.");
        }
    }
}
