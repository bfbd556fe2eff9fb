using Telemetry.Devices.Decoding;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Xunit;

namespace Telemetry.Devices.Tests.Decoding;

public sealed class CommandEncoderTests
{
    private static readonly ProfileCatalog Catalog = ProfileLoader.LoadDirectory(RepositoryLayout.ProfilesDirectory);

    private static WriteRejection Rejected(string model, string name, int? circuit, PointValue value)
    {
        Assert.False(CommandEncoder.TryEncode(Catalog[model], name, circuit, value, out var request, out var rejection), $"encoded {request}");
        return rejection;
    }

    [Fact]
    public void Switching_a_circuit_writes_its_coil_with_function_5()
    {
        var write = CommandEncoder.Encode(Catalog["mg-slc4"], "commanded_on", 3, true);

        Assert.Equal((RegisterTable.Coil, 2, (byte)5), (write.Table, write.Address, write.FunctionCode));
        Assert.Equal([true], write.Bits);
        Assert.Empty(write.Registers);
    }

    [Fact]
    public void Coil_takes_one_and_zero_as_booleans()
    {
        Assert.Equal([false], CommandEncoder.Encode(Catalog["jg-hmc24"], "commanded_on", null, 0).Bits);
        Assert.Equal([true], CommandEncoder.Encode(Catalog["jg-hmc24"], "commanded_on", null, 1).Bits);
        Assert.Equal(WriteRejectionReason.WrongValueType, Rejected("jg-hmc24", "commanded_on", null, 2).Reason);
    }

    [Fact]
    public void Schedule_time_in_range_is_written_with_function_6()
    {
        var write = CommandEncoder.Encode(Catalog["sk-ltc4"], "on_time_min", 2, 1080);

        Assert.Equal((RegisterTable.Holding, 16 + 8 + 1, (byte)6), (write.Table, write.Address, write.FunctionCode));
        Assert.Equal([(ushort)1080], write.Registers);
    }

    [Fact]
    public void Value_outside_min_max_is_refused_with_the_range()
    {
        var rejection = Rejected("sk-ltc4", "on_time_min", 1, 1440);

        Assert.Equal(WriteRejectionReason.OutOfRange, rejection.Reason);
        Assert.Equal(("on_time_min", (int?)1), (rejection.Point, rejection.Circuit));
        Assert.Contains("0..1439", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Labelled_command_is_written_by_label_or_by_number()
    {
        var byLabel = CommandEncoder.Encode(Catalog["yd-eps1k"], "test_command", null, "start_duration_test");
        var byNumber = CommandEncoder.Encode(Catalog["yd-eps1k"], "test_command", null, 3);

        Assert.Equal(((byte)16, 32), (byLabel.FunctionCode, byLabel.Address));
        Assert.Equal([(ushort)2], byLabel.Registers);
        Assert.Equal([(ushort)3], byNumber.Registers);
    }

    [Fact]
    public void Unlabelled_value_of_a_labelled_command_is_not_allowed()
    {
        Assert.Equal(WriteRejectionReason.NotAllowed, Rejected("yd-eps1k", "test_command", null, 0).Reason);
        Assert.Equal(WriteRejectionReason.NotAllowed, Rejected("yd-eps1k", "test_command", null, "start_test").Reason);
        Assert.Contains("1 (start_function_test), 2 (start_duration_test), 3 (abort_test)", Rejected("yd-eps1k", "test_command", null, 7).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_only_and_unknown_points_are_refused()
    {
        Assert.Equal(WriteRejectionReason.NotWritable, Rejected("yd-eps1k", "battery_voltage_v", null, 1).Reason);
        Assert.Equal(WriteRejectionReason.UnknownPoint, Rejected("yd-eps1k", "self_destruct", null, 1).Reason);
        Assert.Equal(WriteRejectionReason.UnknownPoint, Rejected("mg-slc4", "commanded_on", 5, true).Reason);
        Assert.Equal(WriteRejectionReason.UnknownPoint, Rejected("mg-slc4", "commanded_on", null, true).Reason);
    }

    [Fact]
    public void Scaled_value_is_written_as_its_raw_register()
    {
        var write = CommandEncoder.Encode(Catalog["ak-dbm300"], "leakage_alarm_threshold_ma", null, 30.5);

        Assert.Equal([(ushort)305], write.Registers);
    }

    [Fact]
    public void Value_between_two_raw_steps_is_not_representable()
    {
        var rejection = Rejected("ak-dbm300", "leakage_alarm_threshold_ma", null, 30.55);

        Assert.Equal(WriteRejectionReason.NotRepresentable, rejection.Reason);
        Assert.Contains("scale 0.1", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Clock_is_set_with_function_16_over_two_registers()
    {
        var write = CommandEncoder.Encode(Catalog["sk-ltc4"], "clock_unix_s", null, 1_795_000_000L);

        Assert.Equal((byte)16, write.FunctionCode);
        Assert.Equal([(ushort)(1_795_000_000 >> 16), (ushort)(1_795_000_000 & 0xFFFF)], write.Registers);
    }

    [Fact]
    public void Negative_scaled_s32_is_written_in_twos_complement()
    {
        var write = CommandEncoder.Encode(Catalog["sk-ltc4"], "longitude", null, -121.473701);

        Assert.Equal(-121_473_701, (int)((uint)write.Registers[0] << 16 | write.Registers[1]));
    }

    [Fact]
    public void Text_for_a_number_without_labels_is_the_wrong_type()
    {
        Assert.Equal(WriteRejectionReason.WrongValueType, Rejected("sk-ltc4", "on_time_min", 1, "six pm").Reason);
    }

    [Fact]
    public void Encode_throws_the_rejection()
    {
        var exception = Assert.Throws<WriteRejectedException>(() => CommandEncoder.Encode(Catalog["kg-316m"], "clock_month", null, 13));

        Assert.Equal(WriteRejectionReason.OutOfRange, exception.Rejection.Reason);
        Assert.Contains("clock_month", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Circuit_command_of_circuit_2_lands_one_stride_further()
    {
        var write = CommandEncoder.Encode(Catalog["hg-lcu2"], "circuit_command", 2, "on");

        Assert.Equal((4128 + 64, (byte)6), (write.Address, write.FunctionCode));
        Assert.Equal([(ushort)1], write.Registers);
    }

    [Fact]
    public void Written_command_reads_back_as_the_same_value()
    {
        var profile = Catalog["sk-ltc4"];
        var device = new FakeDevice();
        PointValue[] values = [1_795_000_000L, -480L, 31.230416, -121.473701];
        string[] names = ["clock_unix_s", "utc_offset_min", "latitude", "longitude"];

        foreach (var (name, value) in names.Zip(values))
        {
            device.Write(CommandEncoder.Encode(profile, name, null, value));
        }

        device.Write(CommandEncoder.Encode(profile, "lux_on_threshold_lux", 4, 35.5));
        var reading = PointDecoder.Decode(device.Poll(PollPlan.For(profile)));

        Assert.Equal(values.Select(v => v.AsReal), names.Select(n => reading.Find(n)!.Value.AsReal));
        Assert.Equal(PointValue.FromReal(35.5), reading.Find("lux_on_threshold_lux", 4));
    }
}
