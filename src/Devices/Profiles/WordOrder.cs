namespace Telemetry.Devices.Profiles;

/// <summary>
/// How the bytes of a value, most significant first (A B C D ...), are laid over consecutive registers.
/// The code covers both word and byte order; for 64-bit values it extends the same way
/// (CDAB reverses all four registers, BADC swaps the bytes inside each).
/// </summary>
public enum WordOrder
{
    /// <summary>Big-endian registers in address order: the Modbus convention.</summary>
    ABCD,

    /// <summary>Least significant register first, bytes big-endian inside each ("word swap").</summary>
    CDAB,

    /// <summary>Registers in address order, bytes swapped inside each ("byte swap").</summary>
    BADC,

    /// <summary>Fully little-endian: least significant register first, bytes swapped inside each.</summary>
    DCBA,
}

/// <summary>Facts about <see cref="WordOrder"/>.</summary>
public static class WordOrders
{
    /// <summary>Whether the least significant register comes first.</summary>
    public static bool ReversesRegisters(this WordOrder order) => order is WordOrder.CDAB or WordOrder.DCBA;

    /// <summary>Whether the two bytes inside each register are swapped.</summary>
    public static bool SwapsBytes(this WordOrder order) => order is WordOrder.BADC or WordOrder.DCBA;
}
