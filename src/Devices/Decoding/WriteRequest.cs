using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Decoding;

/// <summary>One Modbus write that carries a command to a point.</summary>
/// <param name="Point">The point written.</param>
/// <param name="FunctionCode">5 (one coil), 15 (coils), 6 (one register) or 16 (registers).</param>
/// <param name="Registers">Registers to write from the point's address (empty for a coil write).</param>
/// <param name="Bits">Coils to write from the point's address (empty for a register write).</param>
public sealed record WriteRequest(PointDefinition Point, byte FunctionCode, IReadOnlyList<ushort> Registers, IReadOnlyList<bool> Bits)
{
    /// <summary>The table written.</summary>
    public RegisterTable Table => Point.Table;

    /// <summary>First address written.</summary>
    public int Address => Point.Address;

    /// <inheritdoc />
    public override string ToString() =>
        $"function {FunctionCode} at {Table.ToJsonName()} {Address}: " +
        (Bits.Count > 0 ? string.Join(' ', Bits.Select(b => b ? "1" : "0")) : string.Join(' ', Registers.Select(r => $"0x{r:X4}")));
}
