using System.Text.Json.Nodes;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.Devices.Tests.Sites;

public sealed class SiteLoaderTests
{
    [Fact]
    public void A_valid_site_is_read_with_its_gateways_links_and_devices()
    {
        var site = TestSites.Load();

        Assert.Equal(("north", "North district", 31.23, 121.47, "Asia/Shanghai"), (site.Id, site.Name, site.Latitude, site.Longitude, site.TimeZone.Id));
        var gateway = Assert.Single(site.Gateways);
        Assert.Equal("gw-north-01", gateway.Id);
        Assert.Equal(("broker.example", 1883, "gw", "GW_PASSWORD"), (gateway.Mqtt.Host, gateway.Mqtt.Port, gateway.Mqtt.Username, gateway.Mqtt.PasswordEnvironmentVariable));
        Assert.Equal("secret", gateway.Mqtt.ResolvePassword(name => name == "GW_PASSWORD" ? "secret" : null));

        var tcp = Assert.IsType<TcpLink>(gateway.FindLink("tcp-1"));
        Assert.Equal(("10.0.0.5", 502, LinkType.Tcp), (tcp.Host, tcp.Port, tcp.Type));
        var rtu = Assert.IsType<RtuLink>(gateway.FindLink("rs485-1"));
        Assert.Equal(("/dev/ttyUSB0", 9600, SerialParity.None, 8, 1), (rtu.Device, rtu.BaudRate, rtu.Parity, rtu.DataBits, rtu.StopBits));
        Assert.Equal(new Rs485Settings(true, RtsControl.Up, TimeSpan.FromMicroseconds(100)), rtu.Rs485);
        Assert.Equal((TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(50)), (rtu.ResponseTimeout, rtu.ByteTimeout));

        var controller = site.FindDevice("sc-1")!;
        Assert.Equal((DeviceFamily.StreetController, "hg-lcu2", "tcp-1", 1, "gw-north-01"), (controller.Family, controller.Model, controller.LinkId, controller.UnitId, controller.GatewayId));
        Assert.Equal((36, 20, 16), (controller.LampsInstalled, controller.LampsOn(1), controller.LampsOn(2)));
        Assert.Equal(new DeviceLocation(31.24, 121.48, "Ring road cabinet"), controller.Location);
        Assert.Equal((CrewZone.Inner, "crew-a"), (controller.CrewZone, controller.Crew));
        Assert.Same(TestSites.Profiles["hg-lcu2"], controller.Profile);

        var mast = site.FindDevice("mast-07")!;
        Assert.Equal((TimeSpan.FromSeconds(10), 12, CrewZone.Second), (mast.PollInterval, mast.LampsInstalled, mast.CrewZone));
        Assert.Equal(["sc-1", "mast-07", "box-3"], site.Devices.Select(d => d.Id));
        Assert.Equal(["mast-07", "box-3"], gateway.DevicesOn("rs485-1").Select(d => d.Id));
    }

    [Fact]
    public void Rtu_timing_follows_the_framing()
    {
        var rtu = (RtuLink)TestSites.Load().Gateways[0].FindLink("rs485-1")!;

        Assert.Equal(10, rtu.BitsPerCharacter); // 8N1
        Assert.Equal(10417, rtu.CharacterTime.Ticks); // 10 bits at 9600 baud: 1.0417 ms
        Assert.Equal(36458, rtu.InterFrameGap.Ticks); // 3.5 characters
        Assert.Equal(TimeSpan.FromMicroseconds(1750), (rtu with { BaudRate = 115200 }).InterFrameGap);
        Assert.Equal(11, (rtu with { Parity = SerialParity.Even }).BitsPerCharacter);
    }

    [Fact]
    public void Lamps_of_a_device_without_circuits_spread_over_the_profile_circuits()
    {
        var json = TestSites.Changed(s =>
        {
            var device = TestSites.Device(s, 0);
            device.Remove("circuits");
            device["profile"] = "mg-slc4";
            device["lamps_installed"] = 30;
        });

        var device = SiteLoader.Parse(json, TestSites.Source, TestSites.Profiles, TestSites.Options).FindDevice("sc-1")!;

        Assert.Equal([8, 8, 7, 7], Enumerable.Range(1, 4).Select(device.LampsOn));
    }

    [Fact]
    public void Relative_serial_paths_resolve_against_the_path_root()
    {
        var json = TestSites.Changed(s => TestSites.Link(s, 1)["rtu"]!["device"] = ".stack/pty/rs485-1-gw");

        var fromOptions = (RtuLink)SiteLoader.Parse(json, TestSites.Source, TestSites.Profiles, TestSites.Options).Gateways[0].FindLink("rs485-1")!;
        var fromVariable = (RtuLink)SiteLoader.Parse(json, TestSites.Source, TestSites.Profiles,
            new SiteLoadOptions { Environment = name => name == SiteLoadOptions.PathRootVariable ? "/opt/plant" : null }).Gateways[0].FindLink("rs485-1")!;

        Assert.Equal(("/srv/telemetry/.stack/pty/rs485-1-gw", ".stack/pty/rs485-1-gw"), (fromOptions.Device, fromOptions.ConfiguredDevice));
        Assert.Equal("/opt/plant/.stack/pty/rs485-1-gw", fromVariable.Device);
    }

    [Fact]
    public void A_site_file_in_the_repository_resolves_against_the_repository_root()
    {
        var root = new SiteLoadOptions { Environment = _ => null }.ResolvePathRoot(Path.Combine(RepositoryLayout.Root, "hardware", "sites", "demo.json"));

        Assert.Equal(RepositoryLayout.Root, root);
    }

    public static TheoryData<string, string, SiteRule> BrokenSites() => new()
    {
        { """{"profile": "no-such-model"}""", "$.gateways[0].devices[1].profile", SiteRule.UnknownProfile },
        { """{"profile": "ak-dbm300"}""", "$.gateways[0].devices[1].profile", SiteRule.FamilyMismatch },
        { """{"family": "lamp_post"}""", "$.gateways[0].devices[1].family", SiteRule.UnknownFamily },
        { """{"link": "rs485-9"}""", "$.gateways[0].devices[1].link", SiteRule.UnknownLink },
        { """{"link": "tcp-1"}""", "$.gateways[0].devices[1].link", SiteRule.LinkTypeNotSupported },
        { """{"unit": 0}""", "$.gateways[0].devices[1].unit", SiteRule.UnitIdOutOfRange },
        { """{"unit": 248}""", "$.gateways[0].devices[1].unit", SiteRule.UnitIdOutOfRange },
        { """{"unit": 3}""", "$.gateways[0].devices[2].unit", SiteRule.DuplicateUnitId },
        { """{"id": "sc-1"}""", "$.gateways[0].devices[1].id", SiteRule.DuplicateId },
        { """{"id": "mast 07"}""", "$.gateways[0].devices[1].id", SiteRule.InvalidIdentifier },
        { """{"poll_interval_s": 0.5}""", "$.gateways[0].devices[1].poll_interval_s", SiteRule.PollIntervalOutOfRange },
        { """{"poll_interval_s": 7200}""", "$.gateways[0].devices[1].poll_interval_s", SiteRule.PollIntervalOutOfRange },
        { """{"lamps_installed": 30}""", "$.gateways[0].devices[1].lamps_installed", SiteRule.InvalidLampCount },
        { """{"lamps_installed": 0}""", "$.gateways[0].devices[1].lamps_installed", SiteRule.InvalidLampCount },
        { """{"crew_zone": "outer"}""", "$.gateways[0].devices[1].crew_zone", SiteRule.UnknownCrewZone },
        { """{"crew": "crew a"}""", "$.gateways[0].devices[1].crew", SiteRule.InvalidIdentifier },
        { """{"location": {"lat": 95, "lon": 121}}""", "$.gateways[0].devices[1].location.lat", SiteRule.InvalidCoordinates },
        { """{"circuits": [{"circuit": 1, "lamps_installed": 12}]}""", "$.gateways[0].devices[1].circuits[0].circuit", SiteRule.InvalidCircuit },
    };

    [Theory]
    [MemberData(nameof(BrokenSites))]
    public void A_broken_device_is_refused_naming_its_path_and_rule(string change, string path, SiteRule rule)
    {
        var json = TestSites.Changed(s =>
        {
            foreach (var (key, value) in JsonNode.Parse(change)!.AsObject())
            {
                TestSites.Device(s, 1)[key] = value?.DeepClone();
            }
        });

        var error = Assert.Single(TestSites.Errors(json));

        Assert.Equal((TestSites.Source, path, rule), (error.Source, error.Path, error.Rule));
        Assert.Contains($"{TestSites.Source}: {path}: ", error.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, SiteRule> BrokenLinks() => new()
    {
        { """{"baud": 9601}""", "$.gateways[0].links[1].rtu.baud", SiteRule.InvalidBaudRate },
        { """{"parity": "mark"}""", "$.gateways[0].links[1].rtu.parity", SiteRule.InvalidSerialFraming },
        { """{"stop_bits": 3}""", "$.gateways[0].links[1].rtu.stop_bits", SiteRule.InvalidSerialFraming },
        { """{"data_bits": 5}""", "$.gateways[0].links[1].rtu.data_bits", SiteRule.InvalidSerialFraming },
        { """{"rs485": {"rts": "sideways"}}""", "$.gateways[0].links[1].rtu.rs485.rts", SiteRule.InvalidRs485 },
        { """{"response_timeout_ms": 0}""", "$.gateways[0].links[1].rtu.response_timeout_ms", SiteRule.InvalidTimeout },
        { """{"inter_frame_gap_ms": -1}""", "$.gateways[0].links[1].rtu.inter_frame_gap_ms", SiteRule.InvalidTimeout },
        { """{"device": ""}""", "$.gateways[0].links[1].rtu.device", SiteRule.MissingField },
    };

    [Theory]
    [MemberData(nameof(BrokenLinks))]
    public void A_broken_serial_link_is_refused_naming_its_path_and_rule(string change, string path, SiteRule rule)
    {
        var json = TestSites.Changed(s =>
        {
            var rtu = TestSites.Link(s, 1)["rtu"]!.AsObject();
            foreach (var (key, value) in JsonNode.Parse(change)!.AsObject())
            {
                rtu[key] = value?.DeepClone();
            }
        });

        var errors = TestSites.Errors(json);

        Assert.Contains(errors, e => e.Path == path && e.Rule == rule);
    }

    [Fact]
    public void Link_and_broker_rules_are_checked()
    {
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Link(s, 0)["tcp"]!["port"] = 70000)), e => e.Rule == SiteRule.InvalidPort && e.Path == "$.gateways[0].links[0].tcp.port");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Link(s, 0)["rtu"] = new JsonObject { ["device"] = "/dev/ttyS1" })), e => e.Rule == SiteRule.ConflictingFields && e.Path == "$.gateways[0].links[0]");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Link(s, 0).Remove("tcp"))), e => e.Rule == SiteRule.MissingLinkType);
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Link(s, 1)["id"] = "tcp-1")), e => e.Rule == SiteRule.DuplicateId && e.Path == "$.gateways[0].links[1].id");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Gateway(s)["links"]!.AsArray().Add(JsonNode.Parse("""{"id": "tcp-2", "tcp": {"host": "10.0.0.5", "port": 502}}""")))), e => e.Rule == SiteRule.DuplicateEndpoint);
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Gateway(s)["mqtt"]!["password"] = "x")), e => e.Rule == SiteRule.ConflictingFields && e.Path == "$.gateways[0].mqtt.password_env");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Gateway(s)["mqtt"]!["tls"] = JsonNode.Parse("""{"cert_file": "gw.pem"}"""))), e => e.Rule == SiteRule.ConflictingFields && e.Path == "$.gateways[0].mqtt.tls");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => TestSites.Gateway(s)["mqtt"]!["host"] = "broker example")), e => e.Rule == SiteRule.InvalidHost);
    }

    [Fact]
    public void Tls_files_resolve_and_change_the_default_port()
    {
        var json = TestSites.Changed(s => TestSites.Gateway(s)["mqtt"]!["tls"] = JsonNode.Parse("""{"ca_file": "certs/ca.pem", "cert_file": "/etc/gw/gw.pem", "key_file": "certs/gw.key"}"""));

        var mqtt = SiteLoader.Parse(json, TestSites.Source, TestSites.Profiles, TestSites.Options).Gateways[0].Mqtt;

        Assert.Equal(8883, mqtt.Port);
        Assert.Equal(new MqttTls("/srv/telemetry/certs/ca.pem", "/etc/gw/gw.pem", "/srv/telemetry/certs/gw.key"), mqtt.Tls);
    }

    [Fact]
    public void Site_level_rules_are_checked()
    {
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s["time_zone"] = "Mars/Olympus")), e => e.Rule == SiteRule.UnknownTimeZone && e.Path == "$.time_zone");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s["longitude"] = 181)), e => e.Rule == SiteRule.InvalidCoordinates && e.Path == "$.longitude");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s["site"] = "north/1")), e => e.Rule == SiteRule.InvalidIdentifier && e.Path == "$.site");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s.Remove("name"))), e => e.Rule == SiteRule.MissingField && e.Path == "$.name");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s["gateways"] = new JsonArray())), e => e.Rule == SiteRule.MissingField && e.Path == "$.gateways");
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s["gateways"]!.AsArray().Add(TestSites.Gateway(s).DeepClone()))), e => e.Rule == SiteRule.DuplicateId && e.Path == "$.gateways[1].id");
    }

    [Fact]
    public void Holidays_and_a_dual_supply_are_read_and_make_their_days_no_working_days()
    {
        var site = SiteLoader.Parse(TestSites.Changed(s =>
        {
            s["holidays"] = JsonNode.Parse("""[{"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}, {"name": "元旦", "from": "2027-01-01"}]""");
            TestSites.Device(s, 0)["dual_supply"] = true;
        }), TestSites.Source, TestSites.Profiles, TestSites.Options);

        Assert.Equal([new SiteHoliday("元旦", new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 1)), new SiteHoliday("国庆节", new DateOnly(2027, 10, 1), new DateOnly(2027, 10, 7))], site.Holidays);
        Assert.False(site.IsWorkingDay(new DateOnly(2027, 10, 4)));
        Assert.False(site.IsWorkingDay(new DateOnly(2027, 10, 9)));
        Assert.True(site.IsWorkingDay(new DateOnly(2027, 10, 8)));
        Assert.True(site.Devices.First().DualSupply);
        Assert.False(TestSites.Load().Devices.First().DualSupply);
    }

    [Theory]
    [InlineData("""[{"from": "2027-10-01"}]""", "$.holidays[0].name")]
    [InlineData("""[{"name": "x", "from": "2027-13-01"}]""", "$.holidays[0].from")]
    [InlineData("""[{"name": "x", "from": "2027-10-05", "to": "2027-10-01"}]""", "$.holidays[0].to")]
    [InlineData("""[{"name": "x", "from": "2027-10-01", "to": "2027-10-07"}, {"name": "y", "from": "2027-10-07"}]""", "$.holidays[1]")]
    public void A_broken_holiday_is_refused_naming_its_path(string holidays, string path)
    {
        Assert.Contains(TestSites.Errors(TestSites.Changed(s => s["holidays"] = JsonNode.Parse(holidays))), e => e.Rule == SiteRule.InvalidHoliday && e.Path == path);
    }

    [Fact]
    public void Commissioning_date_warranty_end_and_serial_are_read_and_may_be_left_out()
    {
        var site = SiteLoader.Parse(TestSites.Changed(s =>
        {
            TestSites.Device(s, 1)["commissioned"] = "2019-08-30";
            TestSites.Device(s, 1)["warranty_until"] = "2024-08-29";
            TestSites.Device(s, 1)["serial"] = "JG24-1908-001";
            TestSites.Device(s, 2)["warranty_until"] = "2027-01-31";
        }), TestSites.Source, TestSites.Profiles, TestSites.Options);

        var mast = site.FindDevice("mast-07")!;
        Assert.Equal((new DateOnly(2019, 8, 30), new DateOnly(2024, 8, 29), "JG24-1908-001", "jg-hmc24"), (mast.Commissioned, mast.WarrantyUntil, mast.Serial, mast.Model));
        var box = site.FindDevice("box-3")!;
        Assert.Equal(((DateOnly?)null, new DateOnly(2027, 1, 31), (string?)null), (box.Commissioned, box.WarrantyUntil, box.Serial));
        var controller = site.FindDevice("sc-1")!;
        Assert.Equal(((DateOnly?)null, (DateOnly?)null, (string?)null), (controller.Commissioned, controller.WarrantyUntil, controller.Serial));
    }

    [Fact]
    public void A_warranty_may_end_on_the_day_the_device_was_commissioned()
    {
        var site = SiteLoader.Parse(TestSites.Changed(s =>
        {
            TestSites.Device(s, 0)["commissioned"] = "2026-03-01";
            TestSites.Device(s, 0)["warranty_until"] = "2026-03-01";
        }), TestSites.Source, TestSites.Profiles, TestSites.Options);

        Assert.Equal(new DateOnly(2026, 3, 1), site.FindDevice("sc-1")!.WarrantyUntil);
    }

    [Theory]
    [InlineData("commissioned", "2021-02-30")]
    [InlineData("commissioned", "12/03/2021")]
    [InlineData("commissioned", "")]
    [InlineData("warranty_until", "2024-8-29")]
    [InlineData("warranty_until", "2024-08-29T00:00:00")]
    public void A_commissioning_or_warranty_date_not_written_yyyy_MM_dd_is_refused_naming_the_field(string field, string value)
    {
        var error = Assert.Single(TestSites.Errors(TestSites.Changed(s => TestSites.Device(s, 1)[field] = value)));

        Assert.Equal((SiteRule.InvalidAssetDate, $"$.gateways[0].devices[1].{field}"), (error.Rule, error.Path));
        Assert.Contains($"'{field}'", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warranty_ending_before_commissioning_is_refused_naming_warranty_until()
    {
        var error = Assert.Single(TestSites.Errors(TestSites.Changed(s =>
        {
            TestSites.Device(s, 1)["commissioned"] = "2022-05-16";
            TestSites.Device(s, 1)["warranty_until"] = "2022-05-15";
        })));

        Assert.Equal((SiteRule.InvalidAssetDate, "$.gateways[0].devices[1].warranty_until"), (error.Rule, error.Path));
        Assert.Contains("before the device was commissioned (2022-05-16)", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("JG24\n1908")]
    [InlineData("X12345678901234567890123456789012345678901234567890123456789012345")]
    public void A_blank_overlong_or_control_character_serial_is_refused_naming_serial(string serial)
    {
        var error = Assert.Single(TestSites.Errors(TestSites.Changed(s => TestSites.Device(s, 2)["serial"] = System.Text.RegularExpressions.Regex.Unescape(serial))));

        Assert.Equal((SiteRule.InvalidSerial, "$.gateways[0].devices[2].serial"), (error.Rule, error.Path));
    }

    [Fact]
    public void Circuit_lamps_must_add_up_to_the_device_lamps()
    {
        var errors = TestSites.Errors(TestSites.Changed(s => TestSites.Device(s, 0)["lamps_installed"] = 40));

        var error = Assert.Single(errors);
        Assert.Equal((SiteRule.LampCountMismatch, "$.gateways[0].devices[0].lamps_installed"), (error.Rule, error.Path));
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_at_once()
    {
        var json = TestSites.Changed(s =>
        {
            TestSites.Device(s, 0)["unit"] = 300;
            TestSites.Device(s, 1)["profile"] = "nope";
            TestSites.Device(s, 2)["poll_interval_s"] = 0;
            TestSites.Link(s, 1)["rtu"]!["baud"] = 12345;
        });

        var errors = TestSites.Errors(json);

        Assert.Equal(
            [SiteRule.InvalidBaudRate, SiteRule.UnitIdOutOfRange, SiteRule.UnknownProfile, SiteRule.PollIntervalOutOfRange],
            errors.Select(e => e.Rule));
        Assert.All(errors, e => Assert.Equal(TestSites.Source, e.Source));
        var exception = Assert.Throws<SiteValidationException>(() => SiteLoader.Parse(json, TestSites.Source, TestSites.Profiles, TestSites.Options));
        Assert.StartsWith("4 site errors:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_properties_and_wrong_types_are_malformed_json_with_their_path()
    {
        var typo = Assert.Single(TestSites.Errors(TestSites.Changed(s => TestSites.Device(s, 1)["unti"] = 7)));
        var wrongType = Assert.Single(TestSites.Errors(TestSites.Changed(s => TestSites.Device(s, 1)["unit"] = "seven")));
        var notJson = Assert.Single(TestSites.Errors("{ \"site\": "));

        Assert.Equal(SiteRule.MalformedJson, typo.Rule);
        Assert.Contains("unti", typo.Detail, StringComparison.Ordinal);
        Assert.Equal((SiteRule.MalformedJson, "$.gateways[0].devices[1].unit"), (wrongType.Rule, wrongType.Path));
        Assert.Equal(SiteRule.MalformedJson, notJson.Rule);
    }

    [Fact]
    public void TryParse_reports_instead_of_throwing()
    {
        var site = SiteLoader.TryParse(TestSites.Changed(s => s["time_zone"] = "Nowhere"), TestSites.Source, TestSites.Profiles, out var errors, TestSites.Options);

        Assert.Null(site);
        Assert.Equal(SiteRule.UnknownTimeZone, Assert.Single(errors).Rule);
    }

    [Fact]
    public void Crew_zones_carry_the_arrival_targets_of_the_domain()
    {
        Assert.Equal(
            [TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(4), TimeSpan.FromHours(6), null],
            Enum.GetValues<CrewZone>().Select(z => z.DefaultArrivalTarget()));
    }
}
