using Telemetry.Devices.Profiles;
using Telemetry.Devices.Planning;

namespace Telemetry.Devices.Decoding;

/// <summary>What the device answered to one <see cref="ReadRequest"/>: registers or bits, exactly as many as asked.</summary>
public sealed class BlockResult
{
    private readonly ushort[] registers;
    private readonly bool[] bits;

    private BlockResult(ReadRequest request, ushort[]? registers, bool[]? bits)
    {
        Request = request;
        this.registers = registers ?? [];
        this.bits = bits ?? [];
    }

    /// <summary>The read answered.</summary>
    public ReadRequest Request { get; }

    /// <summary>The registers read (empty for a bit read). The array is kept, not copied.</summary>
    public IReadOnlyList<ushort> Registers => registers;

    /// <summary>The bits read (empty for a register read). The array is kept, not copied.</summary>
    public IReadOnlyList<bool> Bits => bits;

    /// <summary>The answer to a holding or input register read.</summary>
    /// <exception cref="ArgumentException">The read is a bit read, or the count differs from the request's.</exception>
    public static BlockResult FromRegisters(ReadRequest request, ushort[] registers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registers);
        if (request.Table.HoldsBits())
        {
            throw new ArgumentException($"read {request} returns bits, not registers", nameof(registers));
        }

        if (registers.Length != request.Count)
        {
            throw new ArgumentException($"read {request} needs {request.Count} registers, got {registers.Length}", nameof(registers));
        }

        return new BlockResult(request, registers, null);
    }

    /// <summary>The answer to a coil or discrete input read.</summary>
    /// <exception cref="ArgumentException">The read is a register read, or the count differs from the request's.</exception>
    public static BlockResult FromBits(ReadRequest request, bool[] bits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bits);
        if (!request.Table.HoldsBits())
        {
            throw new ArgumentException($"read {request} returns registers, not bits", nameof(bits));
        }

        if (bits.Length != request.Count)
        {
            throw new ArgumentException($"read {request} needs {request.Count} bits, got {bits.Length}", nameof(bits));
        }

        return new BlockResult(request, null, bits);
    }

    internal ReadOnlySpan<ushort> RegisterSpan => registers;

    internal ReadOnlySpan<bool> BitSpan => bits;
}
