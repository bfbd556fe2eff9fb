using System.Text;
using FsCheck;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Fuzzing.Inputs;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// A profile file loaded as every service loads one (<see cref="ProfileLoader"/> on the file's text): a profile,
/// or a <see cref="ProfileValidationException"/> listing every rule broken; no other exception. Loading a
/// valid file afterwards gives its profile.
/// </summary>
public sealed class ProfileFileTarget : IFuzzTarget
{
    private const string ValidModel = "jg-hmc24";

    private readonly string _valid = ValidDocuments.ProfileFiles[ValidModel];

    public string Name => "profile-file";

    public Gen<byte[]> Inputs { get; } = HostileJson.From(
    [
        .. ValidDocuments.ProfileFiles.Values.Select(text => JsonTemplate.From(
            "profile file",
            text,
            words: ["holding", "input", "coil", "discrete_input", "u16", "s16", "u32", "s32", "f32", "bit", "bitfield", "string",
                "ABCD", "CDAB", "BADC", "DCBA", "tcp", "rtu", "V", "A", "kW", "kWh", "mA", "MΩ", "Ω", "°C", "lx", "min", "s", "lamp_{n}_lit", "{n}"],
            names: ["model", "manufacturer", "family", "description", "links", "word_order", "limits", "max_registers_per_read", "max_bits_per_read",
                "max_register_gap", "max_bit_gap", "points", "circuits", "count", "stride", "name", "table", "address", "type", "length", "scale",
                "offset", "unit", "writable", "min", "max", "write_function", "labels", "flags", "bit", "series", "first_bit", "total"])),
    ]);

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var profile = ProfileLoader.Parse(FileText.Of(input), "fuzz-profile.json");
            return profile.Points.Count > 0 ? FuzzOutcome.Accepted : FuzzOutcome.Failed("a profile without points was loaded");
        }
        catch (ProfileValidationException ex)
        {
            if (ex.Errors.Count == 0 || ex.Errors.Any(e => string.IsNullOrWhiteSpace(e.Detail)))
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

    public bool FeedValid() => ProfileLoader.Parse(_valid, $"{ValidModel}.json") is { Model: ValidModel, Points.Count: > 0 };
}
