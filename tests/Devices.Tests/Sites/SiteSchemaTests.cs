using System.Text.Json.Nodes;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.Devices.Tests.Sites;

/// <summary>Keeps hardware/sites/site.schema.json and the loader describing the same format.</summary>
public sealed class SiteSchemaTests
{
    private static readonly JsonObject Schema =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "hardware", "sites", "site.schema.json")))!.AsObject();

    private static JsonObject Definition(string name) => Schema["$defs"]![name]!.AsObject();

    private static HashSet<string> Properties(JsonNode node) => node["properties"]!.AsObject().Select(p => p.Key).ToHashSet();

    private static HashSet<string> Enum(JsonNode node) => node["enum"]!.AsArray().Select(v => v!.ToString()).ToHashSet();

    [Fact]
    public void Every_property_the_schema_allows_is_one_the_loader_reads()
    {
        // The valid site with every optional property the schema lists added: the loader must know each name.
        var json = TestSites.Changed(s =>
        {
            s["$schema"] = "./site.schema.json";
            s["holidays"] = JsonNode.Parse("""[{"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}]""");
            TestSites.Gateway(s)["name"] = "North gateway";
            TestSites.Gateway(s)["mqtt"] = JsonNode.Parse("""{"host": "h", "port": 8883, "tls": {"ca_file": "a", "cert_file": "b", "key_file": "c"}, "username": "u", "password": "p"}""");
            TestSites.Link(s, 0)["tcp"]!["response_timeout_ms"] = 900;
            TestSites.Link(s, 1)["rtu"]!["data_bits"] = 8;
            TestSites.Link(s, 1)["rtu"]!["inter_frame_gap_ms"] = 4;
            TestSites.Device(s, 0)["name"] = "Cabinet 1";
            TestSites.Device(s, 0)["lamps_installed"] = 36;
            TestSites.Device(s, 0)["dual_supply"] = false;
            TestSites.Device(s, 0)["commissioned"] = "2021-04-12";
            TestSites.Device(s, 0)["warranty_until"] = "2024-04-11";
            TestSites.Device(s, 0)["serial"] = "HG2104-0117";
            TestSites.Device(s, 0)["group"] = "ring-road";
            s["emergency_tests"] = JsonNode.Parse("""{"enabled": true, "window": {"from": "09:00", "to": "16:00"}, "max_share_discharging": 0.5, "recharge_h": 24, "function_interval_days": 30, "one_hour_interval_days": 182, "full_duration_interval_days": 365}""");
        });
        var gateway = JsonNode.Parse(json)!["gateways"]![0]!;

        Assert.Equal(Properties(Schema), JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Schema["properties"]!["holidays"]!["items"]!), JsonNode.Parse(json)!["holidays"]![0]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Definition("gateway")), gateway.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Definition("mqtt")).Except(["password_env"]).ToHashSet(), gateway["mqtt"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Definition("mqtt")["properties"]!["tls"]!), gateway["mqtt"]!["tls"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Definition("link")["properties"]!["tcp"]!), gateway["links"]![0]!["tcp"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Definition("link")["properties"]!["rtu"]!), gateway["links"]![1]!["rtu"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Definition("device")), gateway["devices"]![0]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(Properties(Schema["properties"]!["emergency_tests"]!).Except(["groups"]).ToHashSet(), JsonNode.Parse(json)!["emergency_tests"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.NotNull(SiteLoader.Parse(json, TestSites.Source, TestSites.Profiles, TestSites.Options));
    }

    [Fact]
    public void Schema_lists_the_families_zones_and_serial_values_the_loader_knows()
    {
        var device = Definition("device")["properties"]!;
        var rtu = Definition("link")["properties"]!["rtu"]!["properties"]!;

        Assert.Equal(System.Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()).ToHashSet(), Enum(device["family"]!));
        Assert.Equal(System.Enum.GetValues<CrewZone>().Select(z => z.ToJsonName()).ToHashSet(), Enum(device["crew_zone"]!));
        Assert.Equal(System.Enum.GetNames<SerialParity>().Select(p => p.ToLowerInvariant()).ToHashSet(), Enum(rtu["parity"]!));
        Assert.Equal(System.Enum.GetNames<RtsControl>().Select(p => p.ToLowerInvariant()).ToHashSet(), Enum(rtu["rs485"]!["properties"]!["rts"]!));
        Assert.Equal(
            ["110", "300", "600", "1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200", "230400", "460800", "500000", "576000", "921600", "1000000", "1152000", "1500000", "2500000", "3000000", "3500000", "4000000"],
            Enum(rtu["baud"]!));
    }
}
