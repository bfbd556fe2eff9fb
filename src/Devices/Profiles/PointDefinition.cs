namespace Telemetry.Devices.Profiles;

/// <summary>
/// One readable (and possibly writable) item of a device, after loading: circuit templates are expanded,
/// so a point of circuit 3 has its own address and <see cref="Circuit"/> = 3.
/// </summary>
public sealed record PointDefinition
{
    /// <summary>Semantic name with unit suffix (<c>voltage_l1_v</c>); for a bitfield, the name of the register.</summary>
    public required string Name { get; init; }

    /// <summary>1-based circuit number for points of a <c>circuits</c> block; null for device-level points.</summary>
    public int? Circuit { get; init; }

    /// <summary>The Modbus table the point lives in.</summary>
    public required RegisterTable Table { get; init; }

    /// <summary>Zero-based protocol address of the first register or bit.</summary>
    public required int Address { get; init; }

    /// <summary>How the raw bits are interpreted.</summary>
    public required DataType Type { get; init; }

    /// <summary>Registers occupied (1 for a bit: one coil or discrete input).</summary>
    public int Length { get; init; } = 1;

    /// <summary>Byte/word layout of multi-byte values.</summary>
    public WordOrder WordOrder { get; init; } = WordOrder.ABCD;

    /// <summary>Engineering value = raw × scale + offset.</summary>
    public decimal Scale { get; init; } = 1m;

    /// <summary>Engineering value = raw × scale + offset.</summary>
    public decimal Offset { get; init; }

    /// <summary>Unit of the engineering value (<c>V</c>, <c>kWh</c>, <c>MΩ</c>...); null for counts, states and booleans.</summary>
    public string? Unit { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>How the point is written; null when it is read-only.</summary>
    public WriteAccess? Write { get; init; }

    /// <summary>The named bits of a <see cref="DataType.Bitfield"/> point; null for other types.</summary>
    public BitfieldLayout? Bitfield { get; init; }

    /// <summary>Meaning of raw values (<c>0 = idle</c>); for a writable point also the only values a command may write.</summary>
    public IReadOnlyDictionary<long, string> Labels { get; init; } = EmptyLabels;

    /// <summary>
    /// The command actions that alone write the point, because they check the device first (a battery test checks the
    /// mains, a lift the maintenance key); a raw <c>write</c> of it is refused. Empty for the other points.
    /// </summary>
    public IReadOnlyList<string> OwnedBy { get; init; } = [];

    /// <summary>Position of the point in its profile, which orders decoded values.</summary>
    public int Ordinal { get; init; }

    /// <summary>First address after the point.</summary>
    public int End => Address + Length;

    /// <summary>Whether commands may write the point.</summary>
    public bool IsWritable => Write is not null;

    /// <summary>The names of the values decoding the point produces.</summary>
    public IEnumerable<string> ValueNames() => Bitfield?.ValueNames() ?? [Name];

    /// <summary>The point as people read it in logs and errors: name, circuit, table and address.</summary>
    public override string ToString() =>
        $"{Name}{(Circuit is { } c ? $" (circuit {c})" : "")} at {Table.ToJsonName()} {Address}";

    private static readonly IReadOnlyDictionary<long, string> EmptyLabels = new Dictionary<long, string>();
}
