namespace Telemetry.Devices.Profiles;

/// <summary>The four Modbus data tables. Addresses are protocol (zero-based) addresses, not 4xxxx numbers.</summary>
public enum RegisterTable
{
    /// <summary><c>coil</c>: read/write bits, read with function 1.</summary>
    Coil,

    /// <summary><c>discrete_input</c>: read-only bits, read with function 2.</summary>
    DiscreteInput,

    /// <summary><c>holding</c>: read/write 16-bit registers, read with function 3.</summary>
    Holding,

    /// <summary><c>input</c>: read-only 16-bit registers, read with function 4.</summary>
    Input,
}

/// <summary>Facts about <see cref="RegisterTable"/> that the protocol fixes.</summary>
public static class RegisterTables
{
    /// <summary>Whether the table holds bits (coils, discrete inputs) rather than 16-bit registers.</summary>
    public static bool HoldsBits(this RegisterTable table) => table is RegisterTable.Coil or RegisterTable.DiscreteInput;

    /// <summary>Whether a master can write the table (coils and holding registers).</summary>
    public static bool IsWritable(this RegisterTable table) => table is RegisterTable.Coil or RegisterTable.Holding;

    /// <summary>The Modbus function code that reads the table.</summary>
    public static byte ReadFunctionCode(this RegisterTable table) => table switch
    {
        RegisterTable.Coil => 1,
        RegisterTable.DiscreteInput => 2,
        RegisterTable.Holding => 3,
        RegisterTable.Input => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown register table"),
    };

    /// <summary>The JSON spelling of the table (<c>coil</c>, <c>discrete_input</c>, <c>holding</c>, <c>input</c>).</summary>
    public static string ToJsonName(this RegisterTable table) => table switch
    {
        RegisterTable.Coil => "coil",
        RegisterTable.DiscreteInput => "discrete_input",
        RegisterTable.Holding => "holding",
        RegisterTable.Input => "input",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "unknown register table"),
    };
}
