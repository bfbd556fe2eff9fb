using System.Text.Json.Nodes;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Tests.Profiles;

/// <summary>A small valid profile that tests load as is or break one rule at a time.</summary>
internal static class TestProfiles
{
    public const string Source = "test-model.json";

    public const string Valid = """
        {
          "model": "test-model",
          "manufacturer": "Test Works",
          "family": "street_controller",
          "links": ["tcp", "rtu"],
          "word_order": "ABCD",
          "limits": { "max_registers_per_read": 100, "max_bits_per_read": 64, "max_register_gap": 2, "max_bit_gap": 4 },
          "points": [
            { "name": "voltage_v", "table": "input", "address": 0, "type": "u16", "scale": 0.1, "unit": "V" },
            { "name": "energy_kwh", "table": "input", "address": 1, "type": "u32", "word_order": "CDAB", "unit": "kWh" },
            { "name": "status", "table": "input", "address": 3, "type": "bitfield", "flags": [ { "bit": 0, "name": "supply_present" } ] },
            { "name": "door_open", "table": "discrete_input", "address": 0, "type": "bit" },
            { "name": "resume_schedule", "table": "coil", "address": 8, "type": "bit", "writable": true },
            { "name": "on_time_min", "table": "holding", "address": 10, "type": "u16", "unit": "min", "writable": true, "min": 0, "max": 1439 },
            { "name": "serial", "table": "holding", "address": 20, "type": "string", "length": 4 },
            { "name": "mode", "table": "holding", "address": 24, "type": "u16", "writable": true, "labels": { "0": "off", "1": "on" } }
          ],
          "circuits": {
            "count": 3,
            "stride": { "input": 16, "coil": 1 },
            "points": [
              { "name": "commanded_on", "table": "coil", "address": 0, "type": "bit", "writable": true },
              { "name": "current_a", "table": "input", "address": 100, "type": "u16", "scale": 0.01, "unit": "A" },
              { "name": "power_kw", "table": "input", "address": 101, "type": "f32", "unit": "kW" }
            ]
          }
        }
        """;

    public static DeviceProfile Load() => ProfileLoader.Parse(Valid, Source);

    /// <summary>The valid profile after <paramref name="change"/>.</summary>
    public static string Changed(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        change(document);
        return document.ToJsonString();
    }

    /// <summary>The device-level (or circuit template) point called <paramref name="name"/>.</summary>
    public static JsonObject Point(JsonObject document, string name) =>
        document["points"]!.AsArray().Concat(document["circuits"]!["points"]!.AsArray())
            .Select(p => p!.AsObject())
            .Single(p => (string?)p["name"] == name);

    /// <summary>Adds a device-level point.</summary>
    public static void AddPoint(JsonObject document, string json) => document["points"]!.AsArray().Add(JsonNode.Parse(json));
}
