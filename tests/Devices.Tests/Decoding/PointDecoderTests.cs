using System.Text.Json;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Xunit;
using static Telemetry.Devices.Tests.TestPoints;

namespace Telemetry.Devices.Tests.Decoding;

public sealed class PointDecoderTests
{
    private static PointValue Single(PointDefinition point, params ushort[] registers) =>
        Assert.Single(PointDecoder.DecodePoint(point, registers).Values).Value;

    [Theory]
    [InlineData(WordOrder.ABCD, 0x42F6, 0xE979)]
    [InlineData(WordOrder.CDAB, 0xE979, 0x42F6)]
    [InlineData(WordOrder.BADC, 0xF642, 0x79E9)]
    [InlineData(WordOrder.DCBA, 0x79E9, 0xF642)]
    public void F32_123_456_in_every_word_order_reads_as_the_shortest_decimal(WordOrder order, int first, int second)
    {
        var value = Single(Register("power_kw", DataType.F32, order: order), (ushort)first, (ushort)second);

        Assert.Equal(PointValue.FromReal(123.456), value);
        Assert.Equal(123.456f, (float)value.AsReal);
    }

    [Fact]
    public void S16_all_ones_is_minus_one()
    {
        Assert.Equal(PointValue.FromInteger(-1), Single(Register("x", DataType.S16), 0xFFFF));
        Assert.Equal(PointValue.FromInteger(65535), Single(Register("x", DataType.U16), 0xFFFF));
    }

    [Theory]
    [InlineData(WordOrder.ABCD, 0xF8A4, 0x32EB)]
    [InlineData(WordOrder.CDAB, 0x32EB, 0xF8A4)]
    [InlineData(WordOrder.DCBA, 0xEB32, 0xA4F8)]
    public void S32_negative(WordOrder order, int first, int second)
    {
        Assert.Equal(PointValue.FromInteger(-123456789), Single(Register("x", DataType.S32, order: order), (ushort)first, (ushort)second));
    }

    [Fact]
    public void U32_above_the_s32_range_stays_positive()
    {
        Assert.Equal(PointValue.FromInteger(4_000_000_000), Single(Register("x", DataType.U32), 0xEE6B, 0x2800));
    }

    [Fact]
    public void U64_counter_reads_whole_and_scaled()
    {
        ushort[] registers = [0xCDEF, 0x89AB, 0x4567, 0x0123];

        Assert.Equal(PointValue.FromInteger(0x0123456789ABCDEF), Single(Register("x", DataType.U64, order: WordOrder.CDAB), registers));
        Assert.Equal(PointValue.FromReal(81985529216486.895), Single(Register("energy_kwh", DataType.U64, order: WordOrder.CDAB, scale: 0.001m), registers));
    }

    [Fact]
    public void U64_beyond_long_reads_as_a_real()
    {
        Assert.Equal(PointValue.FromReal(ulong.MaxValue), Single(Register("x", DataType.U64), 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF));
    }

    [Theory]
    [InlineData(2301, "0.1", "0", 230.1)]
    [InlineData(1, "0.1", "0", 0.1)]
    [InlineData(3, "0.1", "0", 0.3)]
    [InlineData(1234, "0.01", "0", 12.34)]
    [InlineData(0, "0.5", "-40", -40)]
    [InlineData(205, "0.5", "-40", 62.5)]
    public void Scale_and_offset_give_the_decimal_value(int raw, string scale, string offset, double expected)
    {
        var point = Register("x", DataType.U16, scale: decimal.Parse(scale, System.Globalization.CultureInfo.InvariantCulture), offset: decimal.Parse(offset, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(PointValue.FromReal(expected), Single(point, (ushort)raw));
    }

    [Fact]
    public void Strings_drop_trailing_nuls()
    {
        Assert.Equal(PointValue.FromText("AK2409"), Single(Register("device_serial", DataType.String, length: 4), 0x414B, 0x3234, 0x3039, 0x0000));
    }

    [Fact]
    public void F32_nan_is_rejected_not_a_value()
    {
        var reading = PointDecoder.DecodePoint(Register("power_kw", DataType.F32), [0x7FC0, 0x0000]);

        Assert.Empty(reading.Values);
        Assert.Contains("NaN", Assert.Single(reading.Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Lamp_bitmap_gives_the_count_and_each_lamp()
    {
        var profile = ProfileLoader.LoadFile(Path.Combine(RepositoryLayout.ProfilesDirectory, "jg-hmc24.json"));
        var point = profile.FindPoint("lamp_status")!;

        // Lamps 1, 2, 3 and 24 lit: 0x00800007, low word first.
        var reading = PointDecoder.DecodePoint(point, [0x0007, 0x0080]);

        Assert.Equal(PointValue.FromInteger(4), reading.Find("lamps_lit"));
        Assert.Equal(PointValue.FromBoolean(true), reading.Find("lamp_1_lit"));
        Assert.Equal(PointValue.FromBoolean(false), reading.Find("lamp_4_lit"));
        Assert.Equal(PointValue.FromBoolean(true), reading.Find("lamp_24_lit"));
        Assert.Null(reading.Find("lamp_status"));
        Assert.Equal(25, reading.Values.Count);
    }

    [Fact]
    public void Breaker_word_gives_flags_inverted_flags_and_a_counted_series()
    {
        var profile = ProfileLoader.LoadFile(Path.Combine(RepositoryLayout.ProfilesDirectory, "ak-dbm300.json"));

        // Main closed (bit 0), breakers 1, 2 and 8 closed (bits 1, 2, 8), SPD failed (bit 15).
        var reading = PointDecoder.DecodePoint(profile.FindPoint("breaker_states")!, [0b1000_0001_0000_0111]);

        Assert.Equal(
            ["breaker_main_closed", "surge_protector_failed", "breakers_closed", "breaker_1_closed", "breaker_2_closed", "breaker_3_closed"],
            reading.Values.Take(6).Select(v => v.Name));
        Assert.Equal(PointValue.FromBoolean(true), reading.Find("breaker_main_closed"));
        Assert.Equal(PointValue.FromBoolean(true), reading.Find("surge_protector_failed"));
        Assert.Equal(PointValue.FromInteger(3), reading.Find("breakers_closed"));
        Assert.Equal(PointValue.FromBoolean(true), reading.Find("breaker_8_closed"));
        Assert.Equal(PointValue.FromBoolean(false), reading.Find("breaker_3_closed"));
    }

    [Fact]
    public void Inverted_flag_reports_the_opposite_of_the_bit()
    {
        var profile = ProfileLoader.LoadFile(Path.Combine(RepositoryLayout.ProfilesDirectory, "hg-lcu2.json"));

        var closed = PointDecoder.DecodePoint(profile.FindPoint("cabinet_status")!, [0b011]);

        Assert.Equal(PointValue.FromBoolean(true), closed.Find("supply_present"));
        Assert.Equal(PointValue.FromBoolean(false), closed.Find("door_open"));
        Assert.Equal(PointValue.FromBoolean(false), closed.Find("manual_override"));
    }

    [Fact]
    public void Blocks_decode_at_each_points_offset_and_keep_profile_order()
    {
        var voltage = Register("voltage_v", DataType.U16, address: 10, scale: 0.1m, ordinal: 0);
        var energy = Register("energy_kwh", DataType.U32, address: 13, order: WordOrder.CDAB, ordinal: 1);
        var door = Coil("door_open", address: 3, writable: false, ordinal: 2);
        var registers = new ReadRequest(RegisterTable.Holding, 10, 5, [voltage, energy]);
        var bits = new ReadRequest(RegisterTable.Coil, 2, 2, [door]);

        var reading = PointDecoder.Decode(
        [
            BlockResult.FromBits(bits, [false, true]),
            BlockResult.FromRegisters(registers, [2301, 0xDEAD, 0xBEEF, 0x0002, 0x0001]),
        ]);

        Assert.Equal(
            [("voltage_v", PointValue.FromReal(230.1)), ("energy_kwh", PointValue.FromInteger(0x00010002)), ("door_open", PointValue.FromBoolean(true))],
            reading.Values.Select(v => (v.Name, v.Value)));
    }

    [Fact]
    public void Block_results_must_match_their_request()
    {
        var registers = new ReadRequest(RegisterTable.Input, 0, 2, [Register("x", DataType.U32, table: RegisterTable.Input)]);
        var bits = new ReadRequest(RegisterTable.Coil, 0, 1, [Coil("y")]);

        Assert.Throws<ArgumentException>(() => BlockResult.FromRegisters(registers, [1]));
        Assert.Throws<ArgumentException>(() => BlockResult.FromBits(registers, [true, true]));
        Assert.Throws<ArgumentException>(() => BlockResult.FromRegisters(bits, [1]));
    }

    [Fact]
    public void Values_of_a_level_serialise_as_a_readings_values_object()
    {
        var profile = ProfileLoader.LoadFile(Path.Combine(RepositoryLayout.ProfilesDirectory, "mg-slc4.json"));
        var device = new FakeDevice();
        device.Bits[(RegisterTable.DiscreteInput, 0)] = true; // supply present
        device.Bits[(RegisterTable.Coil, 1)] = true; // circuit 2 commanded on
        device.Bits[(RegisterTable.DiscreteInput, 9)] = true; // circuit 2 contactor closed
        device.SetRegisters(RegisterTable.Input, 0, [0x5632, 0x2E33, 0x3100, 0x0000]); // "V2.31"
        device.SetRegisters(RegisterTable.Input, 8, [0xFF9C]); // -10.0 °C
        device.SetRegisters(RegisterTable.Input, 288, [2301, 2298, 2310, 1820, 1790, 1805, 0, 12345, 0x5A12, 0x0001, 950, 12, 11]);

        var reading = PointDecoder.Decode(device.Poll(PollPlan.For(profile)));

        Assert.Equal(
            """{"cabinet_temperature_c":-10.0,"uptime_s":0.0,"supply_present":true,"door_open":false,"manual_override":false,"resume_schedule":false}""",
            JsonSerializer.Serialize(reading.ReadingValuesOf()));
        Assert.Equal(
            """{"commanded_on":true,"contactor_closed":true,"voltage_l1_v":230.1,"voltage_l2_v":229.8,"voltage_l3_v":231.0,"current_l1_a":18.2,"current_l2_a":17.9,"current_l3_a":18.05,"power_kw":12.345,"energy_kwh":885.94,"power_factor":0.95,"lamps_installed":12,"lamps_lit":11}""",
            JsonSerializer.Serialize(reading.ReadingValuesOf(2)));
        Assert.Equal(PointValue.FromText("V2.31"), reading.ValuesOf()["firmware_version"]);
        Assert.Equal([1, 2, 3, 4], reading.Circuits);
        Assert.Equal(PointValue.FromBoolean(false), reading.Find("commanded_on", 1));
    }

    [Fact]
    public void Measurements_are_reals_even_when_unscaled_and_counts_stay_integers()
    {
        Assert.Equal(PointValue.FromReal(90), Single(Register("rated_duration_min", DataType.U16) with { Unit = "min" }, 90));
        Assert.Equal(PointValue.FromInteger(90), Single(Register("lamps_installed", DataType.U16), 90));
        Assert.Equal(PointValue.FromReal(9), Single(Register("power_factor", DataType.U16, scale: 0.5m), 18));
    }

    [Fact]
    public void Point_values_read_back_from_json()
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, PointValue>>("""{"a":1,"b":2.5,"c":true,"d":"x"}""")!;

        Assert.Equal(PointValue.FromInteger(1), values["a"]);
        Assert.Equal(PointValue.FromReal(2.5), values["b"]);
        Assert.Equal(PointValue.FromBoolean(true), values["c"]);
        Assert.Equal(PointValue.FromText("x"), values["d"]);
    }
}
