using System.Text.Json.Nodes;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.Devices.Tests.Sites;

/// <summary>A small valid site over the shipped profiles, which tests load as is or break one rule at a time.</summary>
internal static class TestSites
{
    public const string Source = "test-site.json";

    public static readonly ProfileCatalog Profiles = ProfileLoader.LoadDirectory(RepositoryLayout.ProfilesDirectory);

    public static readonly SiteLoadOptions Options = new() { PathRoot = "/srv/telemetry" };

    public const string Valid = """
        {
          "site": "north",
          "name": "North district",
          "latitude": 31.23,
          "longitude": 121.47,
          "time_zone": "Asia/Shanghai",
          "gateways": [
            {
              "id": "gw-north-01",
              "mqtt": { "host": "broker.example", "username": "gw", "password_env": "GW_PASSWORD" },
              "links": [
                { "id": "tcp-1", "tcp": { "host": "10.0.0.5", "port": 502 } },
                { "id": "rs485-1", "rtu": { "device": "/dev/ttyUSB0", "baud": 9600, "parity": "none", "stop_bits": 1,
                                            "rs485": { "enabled": true, "rts": "up", "rts_delay_us": 100 },
                                            "response_timeout_ms": 800, "byte_timeout_ms": 50 } }
              ],
              "devices": [
                { "id": "sc-1", "family": "street_controller", "profile": "hg-lcu2", "link": "tcp-1", "unit": 1, "poll_interval_s": 10,
                  "circuits": [ { "circuit": 1, "name": "Ring road", "lamps_installed": 20 }, { "circuit": 2, "lamps_installed": 16 } ],
                  "location": { "lat": 31.24, "lon": 121.48, "text": "Ring road cabinet" }, "crew_zone": "inner", "crew": "crew-a" },
                { "id": "mast-07", "family": "high_mast", "profile": "jg-hmc24", "link": "rs485-1", "unit": 7, "lamps_installed": 12, "crew_zone": "second" },
                { "id": "box-3", "family": "distribution_box", "profile": "ak-dbm300", "link": "rs485-1", "unit": 3, "poll_interval_s": 30, "crew_zone": "town" }
              ]
            }
          ]
        }
        """;

    public static Site Load() => SiteLoader.Parse(Valid, Source, Profiles, Options);

    /// <summary>The valid site after <paramref name="change"/>.</summary>
    public static string Changed(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        change(document);
        return document.ToJsonString();
    }

    public static JsonObject Gateway(JsonObject site) => site["gateways"]![0]!.AsObject();

    public static JsonObject Device(JsonObject site, int index) => Gateway(site)["devices"]![index]!.AsObject();

    public static JsonObject Link(JsonObject site, int index) => Gateway(site)["links"]![index]!.AsObject();

    /// <summary>The errors of a site that must be refused.</summary>
    public static IReadOnlyList<SiteError> Errors(string json) =>
        Xunit.Assert.Throws<SiteValidationException>(() => SiteLoader.Parse(json, Source, Profiles, Options)).Errors;
}
