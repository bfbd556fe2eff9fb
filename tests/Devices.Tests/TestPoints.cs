using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Tests;

/// <summary>Point definitions built in code, for tests that need no profile file.</summary>
internal static class TestPoints
{
    public static PointDefinition Register(
        string name,
        DataType type,
        int address = 0,
        WordOrder order = WordOrder.ABCD,
        int? length = null,
        decimal scale = 1m,
        decimal offset = 0m,
        RegisterTable table = RegisterTable.Holding,
        bool writable = false,
        double? min = null,
        double? max = null,
        int? circuit = null,
        int ordinal = 0)
    {
        var size = length ?? type.FixedLength() ?? 1;
        return new PointDefinition
        {
            Name = name,
            Table = table,
            Address = address,
            Type = type,
            Length = size,
            WordOrder = order,
            Scale = scale,
            Offset = offset,
            Circuit = circuit,
            Ordinal = ordinal,
            Write = writable ? new WriteAccess(size == 1 ? (byte)6 : (byte)16, min, max) : null,
        };
    }

    public static PointDefinition Coil(string name, int address = 0, bool writable = true, int ordinal = 0) => new()
    {
        Name = name,
        Table = RegisterTable.Coil,
        Address = address,
        Type = DataType.Bit,
        Ordinal = ordinal,
        Write = writable ? new WriteAccess(5, null, null) : null,
    };

    /// <summary>A point of <paramref name="length"/> registers (or bits) at <paramref name="address"/>, for the planner.</summary>
    public static PointDefinition Span(RegisterTable table, int address, int length, int ordinal = 0) => new()
    {
        Name = $"p_{address}",
        Table = table,
        Address = address,
        Type = table.HoldsBits() ? DataType.Bit : DataType.String,
        Length = length,
        Ordinal = ordinal,
    };
}
