using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Planning;

/// <summary>One Modbus read: <paramref name="Count"/> registers or bits of a table from <paramref name="Start"/>.</summary>
/// <param name="Table">The table read, which fixes the function code.</param>
/// <param name="Start">First address read.</param>
/// <param name="Count">Registers (or bits) read, including unused addresses between points.</param>
/// <param name="Points">The points the read covers, in address order.</param>
public sealed record ReadRequest(RegisterTable Table, int Start, int Count, IReadOnlyList<PointDefinition> Points)
{
    /// <summary>First address after the read.</summary>
    public int End => Start + Count;

    /// <summary>The Modbus function code of the read (1, 2, 3 or 4).</summary>
    public byte FunctionCode => Table.ReadFunctionCode();

    /// <summary>Whether the read spans addresses that belong to no point (gap filling).</summary>
    public bool HasGaps => Points.Sum(p => p.Length) < Count;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Table.ToJsonName()} {Start}..{End - 1} ({Count} {(Table.HoldsBits() ? "bits" : "registers")}, {Points.Count} points)";
}
