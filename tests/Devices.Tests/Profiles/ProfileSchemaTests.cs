using Telemetry.Contracts;
using System.Text.Json.Nodes;
using Telemetry.Devices.Profiles;
using Xunit;

namespace Telemetry.Devices.Tests.Profiles;

/// <summary>Keeps hardware/profiles/profile.schema.json and the loader describing the same format.</summary>
public sealed class ProfileSchemaTests
{
    private static readonly JsonObject Schema =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.ProfilesDirectory, "profile.schema.json")))!.AsObject();

    private static JsonObject Definition(string name) => Schema["$defs"]![name]!.AsObject();

    private static HashSet<string> Enum(JsonNode node) => node["enum"]!.AsArray().Select(v => v!.ToString()).ToHashSet();

    private static HashSet<string> Properties(JsonNode node) => node["properties"]!.AsObject().Select(p => p.Key).ToHashSet();

    [Fact]
    public void Schema_lists_the_units_types_tables_orders_and_families_the_loader_knows()
    {
        var point = Definition("point")["properties"]!;

        Assert.Equal(PointUnits.Known.ToHashSet(), Enum(point["unit"]!));
        Assert.Equal(System.Enum.GetValues<DataType>().Select(t => t.ToJsonName()).ToHashSet(), Enum(point["type"]!));
        Assert.Equal(System.Enum.GetValues<RegisterTable>().Select(t => t.ToJsonName()).ToHashSet(), Enum(Definition("table")));
        Assert.Equal(System.Enum.GetNames<WordOrder>().ToHashSet(), Enum(Definition("word_order")));
        Assert.Equal(System.Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()).ToHashSet(), Enum(Schema["properties"]!["family"]!));
    }

    [Fact]
    public void Every_property_the_schema_allows_is_one_the_loader_reads()
    {
        // Put every schema property on a point; the loader may object to the combination, but must know each name.
        var point = new JsonObject();
        foreach (var name in Properties(Definition("point")))
        {
            point[name] = name switch
            {
                "flags" => new JsonArray(new JsonObject(Properties(Definition("point")["properties"]!["flags"]!["items"]!).Select(Sample))),
                "series" => new JsonObject(Properties(Definition("point")["properties"]!["series"]!).Select(Sample)),
                "labels" => new JsonObject { ["0"] = "off" },
                "owned_by" => new JsonArray("lift"),
                _ => Sample(name).Value,
            };
        }

        var json = TestProfiles.Changed(d =>
        {
            d["points"]!.AsArray().Add(point);
            d["limits"] = new JsonObject(Properties(Definition("limits")).Select(n => KeyValuePair.Create(n, (JsonNode?)1)));
        });

        var errors = Assert.Throws<ProfileValidationException>(() => ProfileLoader.Parse(json, TestProfiles.Source)).Errors;
        Assert.DoesNotContain(errors, e => e.Rule == ProfileRule.MalformedJson);
        Assert.Equal(
            ["$schema", "model", "manufacturer", "family", "description", "links", "word_order", "limits", "points", "circuits"],
            Properties(Schema));
        Assert.Equal(["count", "stride", "points"], Properties(Definition("circuits")));
    }

    [Fact]
    public void The_schema_names_as_owners_exactly_the_command_actions_with_points_of_their_own()
    {
        Assert.Equal(
            Telemetry.Contracts.CommandActions.All.Where(a => a != Telemetry.Contracts.CommandActions.Write).ToHashSet(),
            Enum(Definition("point")["properties"]!["owned_by"]!["items"]!));
    }

    [Fact]
    public void Units_have_exactly_the_suffixes_of_the_contracts()
    {
        Assert.Equal(
            ValueNames.UnitSuffixes.ToHashSet(),
            PointUnits.Known.Select(unit => PointUnits.SuffixOf(unit)!).ToHashSet());
    }

    private static KeyValuePair<string, JsonNode?> Sample(string name) => KeyValuePair.Create<string, JsonNode?>(name, name switch
    {
        "name" => "sample_point",
        "table" => "holding",
        "type" => "bitfield",
        "word_order" => "ABCD",
        "unit" => "V",
        "description" or "total" => "sample_total",
        "writable" or "invert" => true,
        "write_function" => 6,
        _ => 1,
    });
}
