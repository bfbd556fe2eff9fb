using System.Text;
using Telemetry.Fuzzing.Targets;

namespace Telemetry.Fuzzing.Tests;

/// <summary>Inputs the fuzzing found breaking a path, kept: each is now refused with a reason, and the path goes on.</summary>
public sealed class FoundInputTests
{
    [Theory]
    [InlineData("""{"action":"write","point":"on_time_min","circuit":1,"value":"a\xFE"}""")]
    [InlineData("""{"action":"write","point":"leakage_alarm_threshold_ma","value":"\ud800"}""")]
    public void A_command_whose_value_is_not_text_is_refused_not_thrown(string input)
    {
        var target = new GatewayCommandTarget();

        var outcome = target.FeedTo(target.TopicFor("ltc-1"), Bytes(input));

        Assert.Equal(FuzzVerdict.Refused, outcome.Verdict);
        Assert.Equal("write_refused", outcome.Reason);
        Assert.Contains("is not a number, a boolean or a label", outcome.Detail, StringComparison.Ordinal);
        Assert.True(target.FeedValid());
    }

    [Theory]
    [InlineData("site-file", """{"site":"s","name":"n","latitude":1,"longitude":1,"time_zone":"UTC","gateways":[null]}""", "$.gateways[0]: a gateway must be an object")]
    [InlineData("profile-file", """{"model":"m","manufacturer":"x","family":"high_mast","links":["rtu"],"points":[null]}""", "a point must be an object")]
    public void A_file_with_a_null_element_is_refused_as_malformed(string path, string input, string detail)
    {
        var outcome = Feed(path, Encoding.UTF8.GetBytes(input));

        Assert.Equal(FuzzVerdict.Refused, outcome.Verdict);
        Assert.Equal("MalformedJson", outcome.Reason);
        Assert.Contains(detail, outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_site_whose_serial_device_holds_a_nul_is_refused_naming_the_path()
    {
        var site = Inputs.ValidDocuments.SiteFile.Replace(".stack/pty/test-rs485-1-gw", "a\\u0000b", StringComparison.Ordinal);

        var outcome = Feed("site-file", Encoding.UTF8.GetBytes(site));

        Assert.Equal(FuzzVerdict.Refused, outcome.Verdict);
        Assert.Equal("InvalidPath", outcome.Reason);
        Assert.Contains("$.gateways[0].links[1].rtu.device", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_with_two_billion_circuits_is_refused_for_the_first_circuit_past_the_address_space()
    {
        var profile = Inputs.ValidDocuments.ProfileFiles["kg-316m"].Replace("\"count\": 2", "\"count\": 2147483647", StringComparison.Ordinal);
        Assert.Contains("2147483647", profile, StringComparison.Ordinal);

        var outcome = Feed("profile-file", Encoding.UTF8.GetBytes(profile));

        Assert.Equal(FuzzVerdict.Refused, outcome.Verdict);
        Assert.Equal("AddressOutOfRange", outcome.Reason);
    }

    [Fact]
    public void A_profile_with_a_series_of_two_billion_bits_is_refused_as_not_fitting_its_field()
    {
        var profile = Inputs.ValidDocuments.ProfileFiles["jg-hmc24"].Replace("\"first_bit\": 0, \"count\": 24", "\"first_bit\": 1, \"count\": 2147483647", StringComparison.Ordinal);
        Assert.Contains("2147483647", profile, StringComparison.Ordinal);

        var outcome = Feed("profile-file", Encoding.UTF8.GetBytes(profile));

        Assert.Equal(FuzzVerdict.Refused, outcome.Verdict);
        Assert.Equal("InvalidBitfield", outcome.Reason);
        Assert.Contains("series bits 1..2147483647 do not fit a 32-bit field", outcome.Detail, StringComparison.Ordinal);
    }

    private static FuzzOutcome Feed(string path, byte[] input)
    {
        var target = FuzzTargets.Create(path);
        try
        {
            Assert.Null(FuzzInvariant.Check(target, input, out var outcome));
            return outcome;
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    /// <summary>The input's bytes: <c>\xNN</c> is the byte NN (bytes that are not UTF-8), the rest UTF-8.</summary>
    private static byte[] Bytes(string input)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\\' && i + 3 < input.Length && input[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(input.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(input[i].ToString()));
            }
        }

        return [.. bytes];
    }
}
