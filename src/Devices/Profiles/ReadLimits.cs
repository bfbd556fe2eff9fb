namespace Telemetry.Devices.Profiles;

/// <summary>What a device can answer in one read, and how far reads may be merged across unused addresses.</summary>
/// <param name="MaxRegistersPerRead">Registers per read request (function 3/4); the protocol allows at most 125.</param>
/// <param name="MaxBitsPerRead">Bits per read request (function 1/2); the protocol allows at most 2000.</param>
/// <param name="MaxRegisterGap">Unused registers a merged read may span between two points.</param>
/// <param name="MaxBitGap">Unused coils or discrete inputs a merged read may span between two points.</param>
public sealed record ReadLimits(int MaxRegistersPerRead, int MaxBitsPerRead, int MaxRegisterGap, int MaxBitGap)
{
    /// <summary>The Modbus limit for one register read (functions 3 and 4).</summary>
    public const int ProtocolMaxRegisters = 125;

    /// <summary>The Modbus limit for one bit read (functions 1 and 2).</summary>
    public const int ProtocolMaxBits = 2000;

    /// <summary>The protocol maxima with no gap filling: what a profile gets when it says nothing.</summary>
    public static ReadLimits Protocol { get; } = new(ProtocolMaxRegisters, ProtocolMaxBits, 0, 0);

    /// <summary>The longest read for a table, in registers or bits.</summary>
    public int MaxLength(RegisterTable table) => table.HoldsBits() ? MaxBitsPerRead : MaxRegistersPerRead;

    /// <summary>The widest gap a merged read may span in a table, in registers or bits.</summary>
    public int MaxGap(RegisterTable table) => table.HoldsBits() ? MaxBitGap : MaxRegisterGap;
}
