using System.Globalization;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests;

/// <summary>Reads a device the way the gateway does: the poll plan's requests through our master, decoded by the profile.</summary>
internal static class ProfileReader
{
    public static async Task<DecodedReading> ReadAsync(ModbusMaster master, SiteDevice device, CancellationToken cancellationToken = default)
    {
        var blocks = new List<BlockResult>();
        foreach (var request in PollPlan.For(device.Profile).Requests)
        {
            blocks.Add(request.Table switch
            {
                RegisterTable.Coil => BlockResult.FromBits(request, await master.ReadCoilsAsync(device.UnitId, request.Start, request.Count, cancellationToken)),
                RegisterTable.DiscreteInput => BlockResult.FromBits(request, await master.ReadDiscreteInputsAsync(device.UnitId, request.Start, request.Count, cancellationToken)),
                RegisterTable.Holding => BlockResult.FromRegisters(request, await master.ReadHoldingRegistersAsync(device.UnitId, request.Start, request.Count, cancellationToken)),
                _ => BlockResult.FromRegisters(request, await master.ReadInputRegistersAsync(device.UnitId, request.Start, request.Count, cancellationToken)),
            });
        }

        return PointDecoder.Decode(blocks);
    }

    /// <summary>
    /// Asserts that what the gateway decodes is what the simulator's model says, to the resolution of each point
    /// (half a raw step; a float's precision; the type's limit for values beyond it).
    /// </summary>
    public static void AssertMatches(DecodedReading reading, DeviceSnapshot snapshot)
    {
        Assert.Empty(reading.Rejected);
        var compared = 0;
        foreach (var value in reading.Values)
        {
            var level = value.Circuit is { } c ? snapshot.Circuits[c.ToString(CultureInfo.InvariantCulture)] : snapshot.Values;
            Assert.True(level.TryGetValue(value.Name, out var expected), $"{snapshot.Id}: the model has no {value.Name} (circuit {value.Circuit})");
            AssertClose(value.Point, value.Name, expected, value.Value, snapshot.Id);
            compared++;
        }

        Assert.True(compared >= 5, $"{snapshot.Id}: only {compared} values compared");
    }

    private static void AssertClose(PointDefinition point, string name, PointValue expected, PointValue actual, string device)
    {
        var what = $"{device} {name} (circuit {point.Circuit}): model {expected}, decoded {actual}";
        switch (actual.Kind)
        {
            case PointValueKind.Boolean:
                Assert.True(expected.AsBoolean == actual.AsBoolean, what);
                return;
            case PointValueKind.Text:
                Assert.True(expected.AsText == actual.AsText, what);
                return;
        }

        var model = expected.AsReal;
        var decoded = actual.AsReal;
        if (point.Type == DataType.Bitfield)
        {
            Assert.True(model == decoded, what); // a series' count of set bits
            return;
        }

        if (point.Type == DataType.F32)
        {
            Assert.True(Math.Abs(model - decoded) <= Math.Max(1e-6, Math.Abs(model) * 1e-6), what);
            return;
        }

        var step = (double)Math.Abs(point.Scale);
        var limit = PointEncoder.Raw(point, model) is var raw && (raw == ushort.MaxValue || raw == uint.MaxValue) && point.Type is DataType.U16 or DataType.U32;
        Assert.True(Math.Abs(model - decoded) <= (step / 2) + (Math.Abs(model) * 1e-12) + 1e-9 || (limit && decoded <= model), what);
    }
}
