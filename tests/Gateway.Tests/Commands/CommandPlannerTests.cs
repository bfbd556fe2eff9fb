using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Commands;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Commands;

/// <summary>Commands planned against the real device profiles of <c>hardware/profiles</c>, one device of each model.</summary>
public sealed class CommandPlannerTests
{
    private static readonly Lazy<Site> Plant = new(LoadPlant);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    // hg-lcu2 2 circuits, command register; mg-slc4 4 circuits, coils; sk-ltc4 4 circuits, outputs read-only;
    // ak-dbm300 none; jg-hmc24 device-level coil; yd-eps1k test register; kg-316m 2 circuits, coils, split clock.
    private const string RegisterSwitched = "tcp-001";
    private const string CoilSwitched = "tcp-002";
    private const string Box = "tcp-003";
    private const string UnixClock = "tcp-004";
    private const string Mast = "bus-01";
    private const string Battery = "bus-02";
    private const string SplitClock = "bus-03";

    [Fact]
    public void Switching_a_circuit_of_a_coil_controller_writes_its_commanded_on_coil()
    {
        var write = Single(CoilSwitched, """{"action":"switch","circuit":2,"on":false}""");

        Assert.Equal("commanded_on", write.Point.Name);
        Assert.Equal(2, write.Point.Circuit);
        Assert.Equal(RegisterTable.Coil, write.Table);
        Assert.Equal(5, write.FunctionCode);
        Assert.Equal([false], write.Bits);
    }

    [Fact]
    public void Switching_a_circuit_of_a_register_controller_writes_its_command_register()
    {
        var on = Single(RegisterSwitched, """{"action":"switch","circuit":2,"on":true}""");
        var off = Single(RegisterSwitched, """{"action":"switch","circuit":1,"on":false}""");

        Assert.Equal("circuit_command", on.Point.Name);
        Assert.Equal(2, on.Point.Circuit);
        Assert.Equal(RegisterTable.Holding, on.Table);
        Assert.Equal([(ushort)1], on.Registers);
        Assert.Equal([(ushort)0], off.Registers);
        Assert.NotEqual(on.Address, off.Address);
    }

    [Fact]
    public void Switching_a_device_without_circuits_writes_its_device_level_coil_and_takes_circuit_1_as_the_device()
    {
        var plain = Single(Mast, """{"action":"switch","on":true}""");
        var circuitOne = Single(Mast, """{"action":"switch","circuit":1,"on":true}""");

        Assert.Equal("commanded_on", plain.Point.Name);
        Assert.Null(plain.Point.Circuit);
        Assert.Equal([true], plain.Bits);
        AssertSameWrite(plain, circuitOne);
        Assert.Contains("has no circuits", Rejection(Mast, """{"action":"switch","circuit":2,"on":true}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"action":"switch","on":true}""", "'circuit' must be 1 to 4")]
    [InlineData("""{"action":"switch","circuit":0,"on":true}""", "'circuit' must be 1 to 4")]
    [InlineData("""{"action":"switch","circuit":5,"on":true}""", "'circuit' must be 1 to 4")]
    [InlineData("""{"action":"switch","circuit":1}""", "switch needs 'on'")]
    public void A_switch_needs_on_and_a_circuit_the_device_has(string command, string reason) =>
        Assert.Contains(reason, Rejection(CoilSwitched, command), StringComparison.Ordinal);

    [Theory]
    [InlineData(UnixClock)]
    [InlineData(Box)]
    public void Switching_a_device_whose_outputs_are_read_only_is_rejected(string device) =>
        Assert.Contains("no writable on/off point", Rejection(device, """{"action":"switch","circuit":1,"on":true}"""), StringComparison.Ordinal);

    [Fact]
    public void Resuming_the_schedule_writes_the_coil_or_the_labelled_register_the_model_has()
    {
        var coil = Single(CoilSwitched, """{"action":"resume_schedule"}""");
        var register = Single(RegisterSwitched, """{"action":"resume_schedule"}""");

        Assert.Equal(("resume_schedule", RegisterTable.Coil), (coil.Point.Name, coil.Table));
        Assert.Equal([true], coil.Bits);
        Assert.Equal(("schedule_command", RegisterTable.Holding), (register.Point.Name, register.Table));
        Assert.Equal([(ushort)1], register.Registers);
        Assert.Contains("cannot be handed back to its schedule", Rejection(Mast, """{"action":"resume_schedule"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_a_unix_clock_writes_the_given_time_as_seconds()
    {
        var write = Single(UnixClock, """{"action":"set_clock","time":"2030-01-02T03:04:05.000Z"}""");

        Assert.Equal("clock_unix_s", write.Point.Name);
        Assert.Equal(16, write.FunctionCode);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), ((long)write.Registers[0] << 16) | write.Registers[1]);
    }

    [Fact]
    public void Setting_a_clock_without_a_time_takes_the_gateway_clock()
    {
        var write = Single(UnixClock, """{"action":"set_clock"}""");

        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), ((long)write.Registers[0] << 16) | write.Registers[1]);
    }

    [Fact]
    public void Setting_a_clock_kept_in_calendar_fields_writes_each_field_in_the_site_time_zone()
    {
        var (writes, rejection) = Plan(SplitClock, """{"action":"set_clock","time":"2030-12-31T20:04:05.000Z"}""");

        Assert.Null(rejection);
        var fields = writes!.ToDictionary(w => w.Point.Name, w => w.Registers.Single());

        // Asia/Shanghai is UTC+8: already the next day and year there.
        Assert.Equal(
            new Dictionary<string, ushort> { ["clock_year"] = 2031, ["clock_month"] = 1, ["clock_day"] = 1, ["clock_hour"] = 4, ["clock_minute"] = 4, ["clock_second"] = 5 },
            fields);
    }

    [Fact]
    public void Setting_the_clock_of_a_model_without_one_is_rejected() =>
        Assert.Contains("has no writable clock", Rejection(Box, """{"action":"set_clock"}"""), StringComparison.Ordinal);

    [Theory]
    [InlineData("start_function_test", 1)]
    [InlineData("start_duration_test", 2)]
    [InlineData("start_one_hour_test", 2)]
    [InlineData("abort_test", 3)]
    public void Each_test_action_writes_its_code_to_the_test_register_with_the_function_the_model_demands(string action, ushort code)
    {
        var write = Single(Battery, $$"""{"action":"{{action}}"}""");

        Assert.Equal("test_command", write.Point.Name);
        Assert.Equal(16, write.FunctionCode);
        Assert.Equal([code], write.Registers);
    }

    [Fact]
    public void A_test_on_a_model_without_emergency_tests_is_rejected() =>
        Assert.Contains("runs no emergency tests", Rejection(Mast, """{"action":"start_function_test"}"""), StringComparison.Ordinal);

    [Fact]
    public void Writing_a_writable_point_in_range_encodes_it_with_its_scale()
    {
        var lamps = Single(Mast, """{"action":"write","point":"lamps_installed","value":16}""");
        var lux = Single(UnixClock, """{"action":"write","point":"lux_on_threshold_lux","circuit":3,"value":12.5}""");

        Assert.Equal([(ushort)16], lamps.Registers);
        Assert.Equal(6, lamps.FunctionCode);
        Assert.Equal(3, lux.Point.Circuit);
        Assert.Equal([(ushort)125], lux.Registers);
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(1000.0)]
    public void The_ends_of_a_point_range_are_allowed(double milliamps)
    {
        var json = JsonSerializer.Serialize(new { action = "write", point = "leakage_alarm_threshold_ma", value = milliamps });
        var write = Single(Box, json);

        Assert.Equal([(ushort)(milliamps * 10)], write.Registers);
    }

    [Theory]
    [InlineData(Box, """{"action":"write","point":"leakage_alarm_threshold_ma","value":9.9}""", "OutOfRange")]
    [InlineData(Box, """{"action":"write","point":"leakage_alarm_threshold_ma","value":1000.1}""", "OutOfRange")]
    [InlineData(Mast, """{"action":"write","point":"lamps_installed","value":99}""", "OutOfRange")]
    [InlineData(Mast, """{"action":"write","point":"lamps_installed","value":0}""", "OutOfRange")]
    [InlineData(UnixClock, """{"action":"write","point":"lux_on_threshold_lux","circuit":1,"value":12.55}""", "NotRepresentable")]
    [InlineData(Mast, """{"action":"write","point":"commanded_on","value":2}""", "WrongValueType")]
    public void A_value_outside_what_the_point_allows_is_rejected_naming_the_rule(string device, string command, string rule) =>
        Assert.Contains($"[{rule}]", Rejection(device, command), StringComparison.Ordinal);

    [Theory]
    [InlineData(Mast, """{"action":"write","point":"voltage_v","value":230}""")]
    [InlineData(UnixClock, """{"action":"write","point":"output_on","circuit":1,"value":true}""")]
    public void Writing_a_read_only_point_is_rejected(string device, string command)
    {
        var rejection = Rejection(device, command);

        Assert.Contains("read-only", rejection, StringComparison.Ordinal);
        Assert.Contains("[NotWritable]", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void A_labelled_point_takes_its_labels_by_name_or_number_and_nothing_else()
    {
        var byName = Single(UnixClock, """{"action":"write","point":"schedule_mode","circuit":2,"value":"lux"}""");
        var byNumber = Single(UnixClock, """{"action":"write","point":"schedule_mode","circuit":2,"value":3}""");

        Assert.Equal([(ushort)3], byName.Registers);
        AssertSameWrite(byName, byNumber);
        Assert.Contains("[NotAllowed]", Rejection(UnixClock, """{"action":"write","point":"schedule_mode","circuit":2,"value":"dusk"}"""), StringComparison.Ordinal);
        Assert.Contains("[NotAllowed]", Rejection(UnixClock, """{"action":"write","point":"schedule_mode","circuit":2,"value":7}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Mast, """{"action":"write","point":"no_such_point","value":1}""", "[UnknownPoint]")]
    [InlineData(Mast, """{"action":"write","point":"lamps_installed","circuit":2,"value":1}""", "[UnknownPoint]")]
    [InlineData(Mast, """{"action":"write","point":"lamps_installed"}""", "write needs 'point' and 'value'")]
    [InlineData(Mast, """{"action":"write","value":1}""", "write needs 'point' and 'value'")]
    [InlineData(Mast, """{"action":"write","point":"lamps_installed","value":{"n":1}}""", "is not a number, a boolean or a label")]
    public void A_write_that_names_no_point_of_the_model_or_no_usable_value_is_rejected(string device, string command, string reason) =>
        Assert.Contains(reason, Rejection(device, command), StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"action":"explode"}""")]
    [InlineData("""{}""")]
    public void An_unknown_or_missing_action_is_rejected_listing_the_actions(string command)
    {
        var rejection = Rejection(Mast, command);

        Assert.All(CommandPlanner.Actions, action => Assert.Contains(action, rejection, StringComparison.Ordinal));
    }

    [Fact]
    public void A_command_with_one_bad_write_among_several_is_rejected_whole()
    {
        // The calendar clock's year only holds 2000-2099: the month, day... are valid but nothing is planned.
        var (writes, rejection) = Plan(SplitClock, """{"action":"set_clock","time":"2150-06-01T00:00:00.000Z"}""");

        Assert.Null(writes);
        Assert.Contains("clock_year", rejection, StringComparison.Ordinal);
    }

    private static void AssertSameWrite(WriteRequest expected, WriteRequest actual)
    {
        Assert.Same(expected.Point, actual.Point);
        Assert.Equal(expected.FunctionCode, actual.FunctionCode);
        Assert.Equal(expected.Registers, actual.Registers);
        Assert.Equal(expected.Bits, actual.Bits);
    }

    [Theory]
    [InlineData("up", "lift_down", false, "lift_up", true)]
    [InlineData("down", "lift_up", false, "lift_down", true)]
    [InlineData("stop", "lift_up", false, "lift_down", false)]
    public void A_lift_clears_the_other_direction_first_so_both_coils_are_never_set(string direction, string first, bool firstValue, string second, bool secondValue)
    {
        var (writes, rejection) = Plan(Mast, $$"""{"action":"lift","direction":"{{direction}}"}""");

        Assert.Null(rejection);
        Assert.Equal([(first, firstValue), (second, secondValue)], writes!.Select(w => (w.Point.Name, w.Bits[0])));
    }

    [Fact]
    public void A_lift_needs_a_direction_and_a_device_with_a_lift()
    {
        Assert.Contains("direction", Rejection(Mast, """{"action":"lift","direction":"sideways"}"""), StringComparison.Ordinal);
        Assert.Contains("has no lift", Rejection(Battery, """{"action":"lift","direction":"up"}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Mast, """{"action":"write","point":"lift_up","value":true}""", "lift")]
    [InlineData(Mast, """{"action":"write","point":"lift_down","value":true}""", "lift")]
    [InlineData(Battery, """{"action":"write","point":"test_command","value":"start_function_test"}""", "start_function_test")]
    public void A_raw_write_of_a_point_a_dedicated_action_owns_is_refused_naming_the_action(string device, string command, string owner)
    {
        var decision = CommandIntake.Plan(JsonSerializer.Deserialize(command, CommandJson.Default.DeviceCommand)!, "gw", device, Plant.Value.FindDevice(device), _clock.GetUtcNow(), Plant.Value.TimeZone);

        Assert.Null(decision.Writes);
        Assert.Equal(CommandRefusal.DedicatedPoint, decision.Refusal!.Code);
        Assert.Contains(owner, decision.Refusal.Text, StringComparison.Ordinal);
        Assert.Contains(owner, Rejection(device, command), StringComparison.Ordinal);
    }

    private (IReadOnlyList<WriteRequest>? Writes, string? Rejection) Plan(string device, string json)
    {
        var command = JsonSerializer.Deserialize(json, CommandJson.Default.DeviceCommand)!;
        return CommandPlanner.Plan(Plant.Value.FindDevice(device)!, command, _clock.GetUtcNow(), Plant.Value.TimeZone);
    }

    private WriteRequest Single(string device, string json)
    {
        var (writes, rejection) = Plan(device, json);
        Assert.True(rejection is null, rejection);
        return Assert.Single(writes!);
    }

    private string Rejection(string device, string json)
    {
        var (writes, rejection) = Plan(device, json);
        Assert.Null(writes);
        return Assert.IsType<string>(rejection);
    }

    private static Site LoadPlant()
    {
        RigDevice[] devices =
        [
            new("tcp-001", "hg-lcu2", "street_controller", false, 1, 1),
            new("tcp-002", "mg-slc4", "street_controller", false, 2, 1),
            new("tcp-003", "ak-dbm300", "distribution_box", false, 3, 1),
            new("tcp-004", "sk-ltc4", "light_time_controller", false, 4, 1),
            new("bus-01", "jg-hmc24", "high_mast", true, 1, 1),
            new("bus-02", "yd-eps1k", "emergency_battery", true, 2, 1),
            new("bus-03", "kg-316m", "light_time_controller", true, 3, 1),
        ];
        var profiles = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"));
        return SiteLoader.Parse(GatewayRig.SiteJson(devices, "/dev/ttyS9", 1502), "command-planner-site", profiles);
    }
}
