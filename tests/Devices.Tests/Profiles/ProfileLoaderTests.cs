using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Xunit;

namespace Telemetry.Devices.Tests.Profiles;

public sealed class ProfileLoaderTests
{
    [Fact]
    public void Profile_level_fields_are_read()
    {
        var profile = TestProfiles.Load();

        Assert.Equal("test-model", profile.Model);
        Assert.Equal("Test Works", profile.Manufacturer);
        Assert.Equal(DeviceFamily.StreetController, profile.Family);
        Assert.Equal([LinkType.Tcp, LinkType.Rtu], profile.Links);
        Assert.Equal(new ReadLimits(100, 64, 2, 4), profile.Limits);
        Assert.Equal(3, profile.CircuitCount);
        Assert.Equal(TestProfiles.Source, profile.Source);
    }

    [Fact]
    public void Circuit_templates_expand_with_the_stride_of_their_table()
    {
        var profile = TestProfiles.Load();

        var currents = profile.Points.Where(p => p.Name == "current_a").ToList();
        var commands = profile.Points.Where(p => p.Name == "commanded_on").ToList();

        Assert.Equal([1, 2, 3], currents.Select(p => p.Circuit!.Value));
        Assert.Equal([100, 116, 132], currents.Select(p => p.Address));
        Assert.Equal([0, 1, 2], commands.Select(p => p.Address));
        Assert.Equal(132 + 1, profile.FindPoint("power_kw", 3)!.Address);
        Assert.Null(profile.FindPoint("current_a"));
    }

    [Fact]
    public void Points_are_ordered_device_level_first_then_by_circuit()
    {
        var profile = TestProfiles.Load();

        Assert.Equal(Enumerable.Range(0, profile.Points.Count), profile.Points.Select(p => p.Ordinal));
        Assert.All(profile.Points.Take(8), p => Assert.Null(p.Circuit));
        Assert.Equal([1, 1, 1, 2, 2, 2, 3, 3, 3], profile.Points.Skip(8).Select(p => p.Circuit!.Value));
    }

    [Fact]
    public void Defaults_fill_what_a_point_leaves_out()
    {
        var profile = TestProfiles.Load();

        var voltage = profile.FindPoint("voltage_v")!;
        var energy = profile.FindPoint("energy_kwh")!;
        var serial = profile.FindPoint("serial")!;

        Assert.Equal(WordOrder.ABCD, voltage.WordOrder);
        Assert.Equal(WordOrder.CDAB, energy.WordOrder);
        Assert.Equal(0.1m, voltage.Scale);
        Assert.Equal(0m, voltage.Offset);
        Assert.Equal(1m, energy.Scale);
        Assert.Equal(2, energy.Length);
        Assert.Equal(4, serial.Length);
        Assert.False(voltage.IsWritable);
    }

    [Fact]
    public void Write_function_defaults_to_the_single_write_of_the_table()
    {
        var profile = TestProfiles.Load();

        Assert.Equal(5, profile.FindPoint("resume_schedule")!.Write!.FunctionCode);
        Assert.Equal(6, profile.FindPoint("on_time_min")!.Write!.FunctionCode);
        Assert.Equal(0, profile.FindPoint("on_time_min")!.Write!.Minimum);
        Assert.Equal(1439, profile.FindPoint("on_time_min")!.Write!.Maximum);
    }

    [Fact]
    public void Multi_register_writable_points_default_to_function_16()
    {
        var json = TestProfiles.Changed(d => TestProfiles.AddPoint(d,
            """{ "name": "clock_unix_s", "table": "holding", "address": 40, "type": "u32", "unit": "s", "writable": true }"""));

        var profile = ProfileLoader.Parse(json, TestProfiles.Source);

        Assert.Equal(16, profile.FindPoint("clock_unix_s")!.Write!.FunctionCode);
    }

    [Fact]
    public void Bitfield_names_flags_and_a_counted_series()
    {
        var json = TestProfiles.Changed(d => TestProfiles.AddPoint(d, """
            { "name": "lamp_status", "table": "input", "address": 50, "type": "bitfield", "length": 2,
              "flags": [ { "bit": 31, "name": "node_bus_fault", "invert": true } ],
              "series": { "first_bit": 0, "count": 24, "name": "lamp_{n}_lit", "total": "lamps_lit" } }
            """));

        var point = ProfileLoader.Parse(json, TestProfiles.Source).FindPoint("lamp_status")!;

        Assert.Equal(2, point.Length);
        Assert.Equal(new BitFlag(31, "node_bus_fault", true), point.Bitfield!.Flags.Single());
        Assert.Equal(["node_bus_fault", "lamps_lit", "lamp_1_lit", "lamp_2_lit"], point.ValueNames().Take(4));
        Assert.Equal(1 + 1 + 24, point.ValueNames().Count());
        Assert.Equal(0xFFFFFFUL, point.Bitfield.Series!.Mask);
    }

    [Fact]
    public void Labels_are_read_by_raw_value()
    {
        var point = TestProfiles.Load().FindPoint("mode")!;

        Assert.Equal("off", point.Labels[0]);
        Assert.Equal("on", point.Labels[1]);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_tolerated()
    {
        var json = TestProfiles.Valid.Replace("\"model\": \"test-model\",", "// who made it\n\"model\": \"test-model\",", StringComparison.Ordinal)
            .Replace("\"links\": [\"tcp\", \"rtu\"]", "\"links\": [\"tcp\", \"rtu\",]", StringComparison.Ordinal);

        Assert.Equal("test-model", ProfileLoader.Parse(json, TestProfiles.Source).Model);
    }

    [Fact]
    public void Missing_limits_mean_the_protocol_maxima_without_gap_filling()
    {
        var json = TestProfiles.Changed(d => d.Remove("limits"));

        Assert.Equal(ReadLimits.Protocol, ProfileLoader.Parse(json, TestProfiles.Source).Limits);
    }

    [Fact]
    public void Load_file_rejects_a_file_not_named_after_its_model()
    {
        var directory = Directory.CreateTempSubdirectory("profiles-");
        try
        {
            var path = Path.Combine(directory.FullName, "other-name.json");
            File.WriteAllText(path, TestProfiles.Valid);

            var error = Assert.Single(Assert.Throws<ProfileValidationException>(() => ProfileLoader.LoadFile(path)).Errors);

            Assert.Equal(ProfileRule.FileNameMismatch, error.Rule);
            Assert.Equal(path, error.Source);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_directory_reports_the_errors_of_every_file_and_skips_the_schema()
    {
        var directory = Directory.CreateTempSubdirectory("profiles-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "test-model.json"), TestProfiles.Valid);
            File.WriteAllText(Path.Combine(directory.FullName, "profile.schema.json"), "{ \"not\": \"a profile\" }");
            File.WriteAllText(Path.Combine(directory.FullName, "broken-a.json"), "{");
            File.WriteAllText(Path.Combine(directory.FullName, "broken-b.json"), TestProfiles.Valid.Replace("test-model", "broken-b", StringComparison.Ordinal).Replace("\"u32\"", "\"u24\"", StringComparison.Ordinal));

            var errors = Assert.Throws<ProfileValidationException>(() => ProfileLoader.LoadDirectory(directory.FullName)).Errors;

            Assert.Collection(
                errors,
                e => Assert.Equal((ProfileRule.MalformedJson, "broken-a.json"), (e.Rule, Path.GetFileName(e.Source))),
                e => Assert.Equal((ProfileRule.UnknownDataType, "broken-b.json", "energy_kwh"), (e.Rule, Path.GetFileName(e.Source), e.Point)));

            File.Delete(Path.Combine(directory.FullName, "broken-a.json"));
            File.Delete(Path.Combine(directory.FullName, "broken-b.json"));
            Assert.Equal("test-model", Assert.Single(ProfileLoader.LoadDirectory(directory.FullName)).Model);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
