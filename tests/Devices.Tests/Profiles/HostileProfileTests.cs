using System.Text.Json.Nodes;
using Telemetry.Devices.Profiles;
using Xunit;
using static Telemetry.Devices.Tests.Profiles.TestProfiles;

namespace Telemetry.Devices.Tests.Profiles;

/// <summary>Each case breaks one rule of the valid test profile and expects exactly that error, naming the point.</summary>
public sealed class HostileProfileTests
{
    private sealed record Hostile(Action<JsonObject> Break, ProfileRule Rule, string? Point);

    private static readonly Dictionary<string, Hostile> Cases = new()
    {
        ["model missing"] = new(d => d.Remove("model"), ProfileRule.MissingField, null),
        ["model id with capitals"] = new(d => d["model"] = "Test Model", ProfileRule.InvalidName, null),
        ["manufacturer missing"] = new(d => d.Remove("manufacturer"), ProfileRule.MissingField, null),
        ["unknown family"] = new(d => d["family"] = "street_lamp", ProfileRule.UnknownFamily, null),
        ["no links"] = new(d => d["links"] = new JsonArray(), ProfileRule.MissingField, null),
        ["unknown link"] = new(d => d["links"] = new JsonArray("tcp", "lora"), ProfileRule.UnknownLinkType, null),
        ["unknown default word order"] = new(d => d["word_order"] = "ADBC", ProfileRule.UnknownWordOrder, null),
        ["more than 125 registers per read"] = new(d => d["limits"]!["max_registers_per_read"] = 126, ProfileRule.InvalidLimits, null),
        ["more than 2000 bits per read"] = new(d => d["limits"]!["max_bits_per_read"] = 2001, ProfileRule.InvalidLimits, null),
        ["negative gap"] = new(d => d["limits"]!["max_register_gap"] = -1, ProfileRule.InvalidLimits, null),
        ["no points at all"] = new(d => { d.Remove("points"); d.Remove("circuits"); }, ProfileRule.MissingField, null),

        ["point without address"] = new(d => Point(d, "voltage_v").Remove("address"), ProfileRule.MissingField, "voltage_v"),
        ["point without name"] = new(d => Point(d, "voltage_v").Remove("name"), ProfileRule.MissingField, "points[0]"),
        ["point name not snake_case"] = new(d => Point(d, "serial")["name"] = "Serial-No", ProfileRule.InvalidName, "Serial-No"),
        ["unknown table"] = new(d => Point(d, "voltage_v")["table"] = "holding_register", ProfileRule.UnknownTable, "voltage_v"),
        ["unknown data type"] = new(d => Point(d, "energy_kwh")["type"] = "f16", ProfileRule.UnknownDataType, "energy_kwh"),
        ["unknown point word order"] = new(d => Point(d, "energy_kwh")["word_order"] = "little", ProfileRule.UnknownWordOrder, "energy_kwh"),
        ["unknown unit"] = new(d => Point(d, "voltage_v")["unit"] = "volt", ProfileRule.UnknownUnit, "voltage_v"),

        ["duplicate device-level names"] = new(d => Point(d, "door_open")["name"] = "resume_schedule", ProfileRule.DuplicateName, "resume_schedule"),
        ["flag named like a point"] = new(d => Point(d, "status")["flags"]![0]!["name"] = "door_open", ProfileRule.DuplicateName, "door_open"),
        ["duplicate circuit names"] = new(d => { var p = Point(d, "power_kw"); p["name"] = "current_a"; p["unit"] = "A"; }, ProfileRule.DuplicateName, "current_a"),
        ["name both device-level and per circuit"] = new(d => Point(d, "door_open")["name"] = "commanded_on", ProfileRule.DuplicateName, "commanded_on"),

        ["overlapping registers"] = new(d => Point(d, "voltage_v")["address"] = 2, ProfileRule.OverlappingRegisters, "voltage_v"),
        ["overlapping coils"] = new(d => Point(d, "resume_schedule")["address"] = 2, ProfileRule.OverlappingRegisters, "commanded_on"),
        ["circuit stride shorter than the circuit"] = new(d => d["circuits"]!["stride"]!["input"] = 2, ProfileRule.OverlappingRegisters, "current_a"),
        ["address above 65535"] = new(d => Point(d, "voltage_v")["address"] = 65536, ProfileRule.AddressOutOfRange, "voltage_v"),
        ["string running past 65535"] = new(d => Point(d, "serial")["address"] = 65533, ProfileRule.AddressOutOfRange, "serial"),
        ["last circuit past 65535"] = new(d => d["circuits"]!["stride"]!["input"] = 33000, ProfileRule.AddressOutOfRange, "current_a"),
        ["point longer than the device reads"] = new(d => d["limits"]!["max_registers_per_read"] = 3, ProfileRule.PointExceedsReadLimit, "serial"),

        ["bit in a holding register"] = new(d => Point(d, "resume_schedule")["table"] = "holding", ProfileRule.TypeNotAllowedInTable, "resume_schedule"),
        ["u16 in a coil"] = new(d => Point(d, "voltage_v")["table"] = "coil", ProfileRule.TypeNotAllowedInTable, "voltage_v"),
        ["string of length 0"] = new(d => Point(d, "serial")["length"] = 0, ProfileRule.InvalidLength, "serial"),
        ["string without length"] = new(d => Point(d, "serial").Remove("length"), ProfileRule.InvalidLength, "serial"),
        ["u32 of length 3"] = new(d => Point(d, "energy_kwh")["length"] = 3, ProfileRule.InvalidLength, "energy_kwh"),
        ["bitfield of 3 registers"] = new(d => Point(d, "status")["length"] = 3, ProfileRule.InvalidLength, "status"),

        ["writable input register"] = new(d => Point(d, "voltage_v")["writable"] = true, ProfileRule.WritableReadOnlyTable, "voltage_v"),
        ["writable discrete input"] = new(d => Point(d, "door_open")["writable"] = true, ProfileRule.WritableReadOnlyTable, "door_open"),
        ["min greater than max"] = new(d => Point(d, "on_time_min")["min"] = 1500, ProfileRule.InvalidRange, "on_time_min"),
        ["max beyond a u16"] = new(d => Point(d, "on_time_min")["max"] = 70000, ProfileRule.InvalidRange, "on_time_min"),
        ["scale 0"] = new(d => Point(d, "voltage_v")["scale"] = 0, ProfileRule.ScaleZero, "voltage_v"),

        ["unit that contradicts the suffix"] = new(d => Point(d, "voltage_v")["unit"] = "A", ProfileRule.UnitSuffixMismatch, "voltage_v"),
        ["unit without its suffix"] = new(d => Point(d, "voltage_v")["name"] = "voltage", ProfileRule.UnitSuffixMismatch, "voltage"),
        ["suffix without its unit"] = new(d => Point(d, "energy_kwh").Remove("unit"), ProfileRule.UnitSuffixMismatch, "energy_kwh"),
        ["boolean with a unit suffix"] = new(d => Point(d, "door_open")["name"] = "door_open_s", ProfileRule.UnitSuffixMismatch, "door_open_s"),
        ["flag with a unit suffix"] = new(d => Point(d, "status")["flags"]![0]!["name"] = "supply_v", ProfileRule.UnitSuffixMismatch, "status"),

        ["unit on a bit"] = new(d => { Point(d, "door_open")["name"] = "door_v"; Point(d, "door_v")["unit"] = "V"; }, ProfileRule.NotApplicable, "door_v"),
        ["scale on a string"] = new(d => Point(d, "serial")["scale"] = 2, ProfileRule.NotApplicable, "serial"),
        ["word order on a bit"] = new(d => Point(d, "door_open")["word_order"] = "CDAB", ProfileRule.NotApplicable, "door_open"),
        ["min on a read-only point"] = new(d => Point(d, "voltage_v")["min"] = 0, ProfileRule.NotApplicable, "voltage_v"),
        ["write function on a read-only point"] = new(d => Point(d, "serial")["write_function"] = 16, ProfileRule.NotApplicable, "serial"),
        ["owner of a read-only point"] = new(d => Point(d, "voltage_v")["owned_by"] = new JsonArray("lift"), ProfileRule.NotApplicable, "voltage_v"),
        ["owner that is no action"] = new(d => Point(d, "resume_schedule")["owned_by"] = new JsonArray("explode"), ProfileRule.InvalidOwner, "resume_schedule"),
        ["raw write as owner"] = new(d => Point(d, "resume_schedule")["owned_by"] = new JsonArray("write"), ProfileRule.InvalidOwner, "resume_schedule"),
        ["labels on a scaled point"] = new(d => Point(d, "voltage_v")["labels"] = new JsonObject { ["0"] = "off" }, ProfileRule.NotApplicable, "voltage_v"),
        ["flags on a u16"] = new(d => Point(d, "voltage_v")["flags"] = new JsonArray(new JsonObject { ["bit"] = 0, ["name"] = "x" }), ProfileRule.NotApplicable, "voltage_v"),

        ["flag bit beyond a u16"] = new(d => Point(d, "status")["flags"]![0]!["bit"] = 16, ProfileRule.InvalidBitfield, "status"),
        ["bit used twice"] = new(d => Point(d, "status")["series"] = new JsonObject { ["first_bit"] = 0, ["count"] = 4, ["name"] = "lamp_{n}_lit" }, ProfileRule.InvalidBitfield, "status"),
        ["series without {n}"] = new(d => Point(d, "status")["series"] = new JsonObject { ["first_bit"] = 1, ["count"] = 4, ["name"] = "lamp_lit" }, ProfileRule.InvalidBitfield, "status"),
        ["series past the field"] = new(d => Point(d, "status")["series"] = new JsonObject { ["first_bit"] = 8, ["count"] = 9, ["name"] = "lamp_{n}_lit" }, ProfileRule.InvalidBitfield, "status"),
        ["bitfield without bits"] = new(d => Point(d, "status").Remove("flags"), ProfileRule.InvalidBitfield, "status"),
        ["label key not a number"] = new(d => Point(d, "mode")["labels"]!["one"] = "x", ProfileRule.InvalidLabels, "mode"),
        ["label key beyond the type"] = new(d => Point(d, "mode")["labels"]!["-1"] = "x", ProfileRule.InvalidLabels, "mode"),

        ["coil written with function 6"] = new(d => Point(d, "resume_schedule")["write_function"] = 6, ProfileRule.InvalidFunctionCode, "resume_schedule"),
        ["register written with function 5"] = new(d => Point(d, "on_time_min")["write_function"] = 5, ProfileRule.InvalidFunctionCode, "on_time_min"),
        ["u32 written with function 6"] = new(d => TestProfiles.AddPoint(d, """{ "name": "clock_unix_s", "table": "holding", "address": 40, "type": "u32", "unit": "s", "writable": true, "write_function": 6 }"""), ProfileRule.InvalidFunctionCode, "clock_unix_s"),

        ["zero circuits"] = new(d => d["circuits"]!["count"] = 0, ProfileRule.InvalidCircuits, null),
        ["no stride for a circuit table"] = new(d => ((JsonObject)d["circuits"]!["stride"]!).Remove("coil"), ProfileRule.InvalidCircuits, "commanded_on"),
        ["stride of an unknown table"] = new(d => d["circuits"]!["stride"]!["register"] = 4, ProfileRule.UnknownTable, null),
        ["zero stride"] = new(d => d["circuits"]!["stride"]!["coil"] = 0, ProfileRule.InvalidCircuits, null),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Broken_rule_is_reported_with_the_point_and_the_file(string name)
    {
        var hostile = Cases[name];
        var json = Changed(hostile.Break);

        var exception = Assert.Throws<ProfileValidationException>(() => ProfileLoader.Parse(json, Source));

        var error = exception.Errors.FirstOrDefault(e => e.Rule == hostile.Rule);
        Assert.True(error is not null, $"expected {hostile.Rule}, got: {exception.Message}");
        Assert.Equal(hostile.Point, error.Point);
        Assert.Equal(Source, error.Source);
        Assert.Contains(Source, exception.Message, StringComparison.Ordinal);
        Assert.All(exception.Errors, e => Assert.True(
            e.Rule == hostile.Rule || (hostile.Rule, e.Rule) is (ProfileRule.ScaleZero, ProfileRule.InvalidRange),
            $"unexpected extra error {e}"));
    }

    [Fact]
    public void Every_rule_except_the_file_level_ones_has_a_hostile_case()
    {
        var covered = Cases.Values.Select(c => c.Rule).ToHashSet();
        covered.Add(ProfileRule.MalformedJson);
        covered.Add(ProfileRule.FileNameMismatch);

        Assert.Equal(Enum.GetValues<ProfileRule>().ToHashSet(), covered);
    }

    [Theory]
    [InlineData("{ \"model\": ")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Text_that_is_not_a_profile_object_is_malformed(string json)
    {
        var error = Assert.Single(Assert.Throws<ProfileValidationException>(() => ProfileLoader.Parse(json, Source)).Errors);

        Assert.Equal(ProfileRule.MalformedJson, error.Rule);
    }

    [Fact]
    public void Misspelt_property_is_malformed_and_named()
    {
        var json = Changed(d => Point(d, "voltage_v")["adress"] = 4);

        var error = Assert.Single(Assert.Throws<ProfileValidationException>(() => ProfileLoader.Parse(json, Source)).Errors);

        Assert.Equal(ProfileRule.MalformedJson, error.Rule);
        Assert.Contains("adress", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_of_the_wrong_json_type_is_malformed()
    {
        var json = Changed(d => Point(d, "voltage_v")["address"] = "0x10");

        Assert.Equal(ProfileRule.MalformedJson, Assert.Single(Assert.Throws<ProfileValidationException>(() => ProfileLoader.Parse(json, Source)).Errors).Rule);
    }

    [Fact]
    public void All_errors_of_a_file_are_reported_at_once()
    {
        var json = Changed(d =>
        {
            d["family"] = "lamp";
            Point(d, "voltage_v")["scale"] = 0;
            Point(d, "serial")["length"] = 0;
            Point(d, "door_open")["writable"] = true;
            Point(d, "status")["address"] = 2;
        });

        var exception = Assert.Throws<ProfileValidationException>(() => ProfileLoader.Parse(json, Source));

        Assert.Equal(
            [
                (ProfileRule.UnknownFamily, (string?)null),
                (ProfileRule.ScaleZero, "voltage_v"),
                (ProfileRule.WritableReadOnlyTable, "door_open"),
                (ProfileRule.InvalidLength, "serial"),
                (ProfileRule.OverlappingRegisters, "status"),
            ],
            exception.Errors.Select(e => (e.Rule, e.Point)));
        Assert.StartsWith("5 profile errors:", exception.Message, StringComparison.Ordinal);
        Assert.Contains("test-model.json: point 'serial':", exception.Message, StringComparison.Ordinal);
    }
}
