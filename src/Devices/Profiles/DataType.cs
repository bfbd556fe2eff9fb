namespace Telemetry.Devices.Profiles;

/// <summary>How a point's raw bits are interpreted.</summary>
public enum DataType
{
    /// <summary><c>bit</c>: one coil or discrete input; decodes to a boolean.</summary>
    Bit,

    /// <summary><c>u16</c>: unsigned 16-bit register.</summary>
    U16,

    /// <summary><c>s16</c>: two's-complement 16-bit register.</summary>
    S16,

    /// <summary><c>u32</c>: unsigned 32-bit value over two registers.</summary>
    U32,

    /// <summary><c>s32</c>: two's-complement 32-bit value over two registers.</summary>
    S32,

    /// <summary><c>f32</c>: IEEE 754 single over two registers.</summary>
    F32,

    /// <summary><c>u64</c>: unsigned 64-bit value over four registers.</summary>
    U64,

    /// <summary><c>string</c>: ASCII text, two characters per register, ending at the first NUL.</summary>
    String,

    /// <summary><c>bitfield</c>: a 16- or 32-bit register value whose bits are named flags and/or a counted series.</summary>
    Bitfield,
}

/// <summary>Facts about <see cref="DataType"/>.</summary>
public static class DataTypes
{
    /// <summary>Registers a value of the type occupies, or null when the profile gives the length (string, bitfield).</summary>
    public static int? FixedLength(this DataType type) => type switch
    {
        DataType.Bit or DataType.U16 or DataType.S16 => 1,
        DataType.U32 or DataType.S32 or DataType.F32 => 2,
        DataType.U64 => 4,
        _ => null,
    };

    /// <summary>Whether the type is a whole number that scale and offset turn into an engineering value.</summary>
    public static bool IsInteger(this DataType type) =>
        type is DataType.U16 or DataType.S16 or DataType.U32 or DataType.S32 or DataType.U64;

    /// <summary>Whether scale and offset apply (integers and f32).</summary>
    public static bool IsNumeric(this DataType type) => type.IsInteger() || type == DataType.F32;

    /// <summary>The JSON spelling of the type.</summary>
    public static string ToJsonName(this DataType type) => type.ToString().ToLowerInvariant();
}
