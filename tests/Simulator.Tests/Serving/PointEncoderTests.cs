using Telemetry.Devices.Decoding;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Telemetry.Modbus;
using Telemetry.Simulator.Plant;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Serving;

public sealed class PointEncoderTests
{
    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var profile in TestPlant.Profiles)
        {
            data.Add(profile.Model);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void What_the_image_holds_decodes_to_the_values_rendered(string model)
    {
        var profile = TestPlant.Profiles[model];
        var values = new DeviceValues();
        var expected = new Dictionary<ValueKey, PointValue>();
        var random = new Random(model.Length);
        foreach (var point in profile.Points)
        {
            foreach (var name in point.ValueNames())
            {
                var value = Sample(point, name, random);
                values.Set(name, value, point.Circuit);
                expected[new ValueKey(name, point.Circuit)] = value;
            }
        }

        using var image = new RegisterImage(profile);
        image.Render(values);
        var reading = PointDecoder.Decode(PollPlan.For(profile).Requests.Select(r => Read(image.Map, r)));

        Assert.Empty(reading.Rejected);
        foreach (var value in reading.Values)
        {
            var want = expected[new ValueKey(value.Name, value.Circuit)];
            if (value.Point.Bitfield?.Series?.TotalName == value.Name)
            {
                continue; // the count follows from the bits
            }

            Assert.True(want.ToString() == value.Value.ToString(), $"{model} {value.Name} (circuit {value.Circuit}): rendered {want}, decoded {value.Value}");
        }
    }

    [Fact]
    public void Values_round_to_the_nearest_raw_step_and_clamp_to_the_type()
    {
        var insulation = TestPlant.Profiles["ak-dbm300"].FindPoint("insulation_mohm")!;
        var current = TestPlant.Profiles["yd-eps1k"].FindPoint("battery_current_a")!;

        Assert.Equal(45UL, PointEncoder.Raw(insulation, 0.4549));
        Assert.Equal(65535UL, PointEncoder.Raw(insulation, 1200)); // "65535 = above range"
        Assert.Equal(0UL, PointEncoder.Raw(insulation, -3));
        Assert.Equal(65536UL - 2513, PointEncoder.Raw(current, -25.13));
    }

    private static PointValue Sample(PointDefinition point, string name, Random random)
    {
        if (point.Type is DataType.Bit or DataType.Bitfield)
        {
            return point.Type == DataType.Bitfield && point.Bitfield!.Series?.TotalName == name ? 0L : random.Next(2) == 1;
        }

        if (point.Type == DataType.String)
        {
            return "AB-" + random.Next(1000);
        }

        if (point.Labels.Count > 0)
        {
            return point.Labels.Keys.ElementAt(random.Next(point.Labels.Count));
        }

        // A raw value that fits the type; written back as its engineering value.
        long raw = point.Type switch
        {
            DataType.S16 or DataType.S32 => random.Next(-3000, 3000),
            DataType.F32 => 0,
            _ => random.Next(0, 60000),
        };
        if (point.Type == DataType.F32)
        {
            return Math.Round(random.NextDouble() * 1000, 3);
        }

        var number = (raw * point.Scale) + point.Offset;
        return point.Scale == 1m && point.Offset == 0m && point.Unit is null ? raw : (double)number;
    }

    private static BlockResult Read(ModbusRegisterMap map, ReadRequest request) => request.Table switch
    {
        RegisterTable.Coil => BlockResult.FromBits(request, map.GetBits(ModbusTable.Coils, request.Start, request.Count)),
        RegisterTable.DiscreteInput => BlockResult.FromBits(request, map.GetBits(ModbusTable.DiscreteInputs, request.Start, request.Count)),
        RegisterTable.Holding => BlockResult.FromRegisters(request, map.GetRegisters(ModbusTable.HoldingRegisters, request.Start, request.Count)),
        _ => BlockResult.FromRegisters(request, map.GetRegisters(ModbusTable.InputRegisters, request.Start, request.Count)),
    };
}
