using System.Text;
using FsCheck;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Fuzzing.Inputs;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// A site file loaded as the gateway and Rules load it (<see cref="SiteLoader"/> on the file's text, against the
/// shipped profiles): a site, or a <see cref="SiteValidationException"/> listing every rule broken; no other
/// exception. Loading the valid file afterwards gives its site.
/// </summary>
public sealed class SiteFileTarget : IFuzzTarget
{
    private readonly string _valid = ValidDocuments.SiteFile;
    private readonly ProfileCatalog _profiles = ValidDocuments.Profiles;

    public string Name => "site-file";

    public Gen<byte[]> Inputs { get; } = HostileJson.From(JsonTemplate.From(
        "site file",
        ValidDocuments.SiteFile,
        words: [.. ValidDocuments.Profiles.Select(p => p.Model), "high_mast", "street_controller", "distribution_box", "emergency_battery", "light_time_controller",
            "UTC", "Asia/Shanghai", "Etc/GMT+14", "Nowhere/Atlantis", "../../../../etc/passwd", "/etc/localtime", "localhost", "::1", "[::1]", "256.1.1.1", "fe80::1%eth0",
            "none", "even", "odd", "mark", "space", "rts", "/dev/ttyS0", "HOME", "PATH", "1BAD", "inner", "second", "third", "town", "crew-masts"],
        names: ["site", "name", "latitude", "longitude", "time_zone", "gateways", "id", "mqtt", "host", "port", "tls", "ca_file", "cert_file", "key_file",
            "username", "password", "password_env", "links", "tcp", "rtu", "response_timeout_ms", "device", "baud", "parity", "data_bits", "stop_bits",
            "rs485", "enabled", "rts", "rts_delay_us", "byte_timeout_ms", "inter_frame_gap_ms", "devices", "family", "profile", "link", "unit",
            "poll_interval_s", "lamps_installed", "location", "lat", "lon", "text", "crew_zone", "crew", "circuits", "circuit"]));

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var site = SiteLoader.Parse(FileText.Of(input), "fuzz-site.json", _profiles);
            return site.Gateways.Count > 0 ? FuzzOutcome.Accepted : FuzzOutcome.Failed("a site without gateways was loaded");
        }
        catch (SiteValidationException ex)
        {
            if (ex.Errors.Count == 0 || ex.Errors.Any(e => string.IsNullOrWhiteSpace(e.Detail) || string.IsNullOrWhiteSpace(e.Path)))
            {
                return FuzzOutcome.Failed($"a refusal that does not name its problem: {ex.Message}");
            }

            return FuzzOutcome.Refused(ex.Errors[0].Rule.ToString(), ex.Errors[0].ToString());
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }
    }

    public bool FeedValid() => SiteLoader.Parse(_valid, "test-small.json", _profiles) is { Id: "test-small", Gateways: [{ Devices.Count: 7 }] };
}
