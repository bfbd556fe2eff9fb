using System.Buffers;
using System.Text;
using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Tests.LineProtocol;

public sealed class LineProtocolEncoderTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with space", @"with\ space")]
    [InlineData("com,ma", @"com\,ma")]
    [InlineData("eq=ual", "eq=ual")]
    [InlineData("quo\"te", "quo\"te")]
    [InlineData(@"back\slash", @"back\slash")]
    [InlineData("路灯 Ωµ🚀", "路灯\\ Ωµ🚀")]
    [InlineData("carriage\rreturn", "carriage\rreturn")]
    public void Measurement_escapes_commas_and_spaces_only(string measurement, string expected)
    {
        Assert.Equal($"{expected} v=1", LineProtocolEncoder.ToLine(new Point(measurement).Field("v", 1.0)));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with space", @"with\ space")]
    [InlineData("com,ma", @"com\,ma")]
    [InlineData("eq=ual", @"eq\=ual")]
    [InlineData("quo\"te", "quo\"te")]
    [InlineData(@"back\slash", @"back\slash")]
    [InlineData(@"two\\backslashes", @"two\\backslashes")]
    [InlineData(" ,=", @"\ \,\=")]
    [InlineData("路灯 Ωµ🚀", "路灯\\ Ωµ🚀")]
    public void Tag_keys_tag_values_and_field_keys_escape_commas_equals_signs_and_spaces(string name, string expected)
    {
        Assert.Equal($"m,{expected}=x v=1", LineProtocolEncoder.ToLine(new Point("m").Tag(name, "x").Field("v", 1.0)));
        Assert.Equal($"m,k={expected} v=1", LineProtocolEncoder.ToLine(new Point("m").Tag("k", name).Field("v", 1.0)));
        Assert.Equal($"m {expected}=1", LineProtocolEncoder.ToLine(new Point("m").Field(name, 1.0)));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quo\"te", "\"quo\\\"te\"")]
    [InlineData(@"back\slash", @"""back\\slash""")]
    [InlineData(@"trailing\", @"""trailing\\""")]
    [InlineData(@"\", @"""\\""")]
    [InlineData("\\\"", "\"\\\\\\\"\"")]
    [InlineData("with space, comma = equals", "\"with space, comma = equals\"")]
    [InlineData("new\nline", "\"new\nline\"")]
    [InlineData("", "\"\"")]
    [InlineData("路灯 Ωµ🚀", "\"路灯 Ωµ🚀\"")]
    public void String_field_values_are_quoted_with_double_quotes_and_backslashes_escaped(string value, string expected)
    {
        Assert.Equal($"m s={expected}", LineProtocolEncoder.ToLine(new Point("m").Field("s", value)));
    }

    [Theory]
    [InlineData(0L, "0i")]
    [InlineData(42L, "42i")]
    [InlineData(-7L, "-7i")]
    [InlineData(long.MaxValue, "9223372036854775807i")]
    [InlineData(long.MinValue, "-9223372036854775808i")]
    public void Integers_carry_the_i_suffix(long value, string expected)
    {
        Assert.Equal($"m n={expected}", LineProtocolEncoder.ToLine(new Point("m").Field("n", value)));
    }

    [Fact]
    public void An_int_argument_is_an_integer_field_and_a_double_argument_a_float_field()
    {
        Assert.Equal("m a=5i,b=5", LineProtocolEncoder.ToLine(new Point("m").Field("a", 5).Field("b", 5.0)));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.0, "-0")]
    [InlineData(1e20, "1E+20")]
    [InlineData(1.5e-5, "1.5E-05")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(double.Epsilon, "5E-324")]
    [InlineData(229.4, "229.4")]
    [InlineData(-12.0, "-12")]
    [InlineData(999_999_999_999_999.0, "999999999999999")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(-1e16, "-10000000000000000")]
    public void Floats_use_the_shortest_text_that_round_trips(double value, string expected)
    {
        var line = LineProtocolEncoder.ToLine(new Point("m").Field("f", value));

        Assert.Equal($"m f={expected}", line);
        Assert.Equal(value, double.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Booleans_are_written_as_true_and_false()
    {
        Assert.Equal("m a=true,b=false", LineProtocolEncoder.ToLine(new Point("m").Field("a", true).Field("b", false)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NaN_and_infinities_are_rejected_naming_the_field(double value)
    {
        var error = Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.ToLine(new Point("meter").Field("ok", 1.0).Field("voltage", value)));

        Assert.Equal(LineProtocolElement.FieldValue, error.Element);
        Assert.Equal("voltage", error.Key);
        Assert.Equal("meter", error.Measurement);
        Assert.Contains("\"voltage\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_are_written_sorted_by_key_in_utf8_byte_order()
    {
        var point = new Point("m").Tag("b", "2").Tag("a", "1").Tag("\uFF21", "fullwidth").Tag("🚀", "astral").Tag("B", "upper").Field("v", 1.0);

        Assert.Equal("m,B=upper,a=1,b=2,\uFF21=fullwidth,🚀=astral v=1", LineProtocolEncoder.ToLine(point));
    }

    [Fact]
    public void Tags_with_empty_or_null_values_are_left_out()
    {
        var point = new Point("m").Tag("a", string.Empty).Tag("b", "x").Tag("c", null).Field("v", 1.0);

        Assert.Equal("m,b=x v=1", LineProtocolEncoder.ToLine(point));
    }

    [Fact]
    public void Setting_a_tag_or_field_again_replaces_its_value()
    {
        var point = new Point("m").Tag("k", "old").Field("v", 1.0).Tag("k", "new").Field("v", 2L);

        Assert.Equal("m,k=new v=2i", LineProtocolEncoder.ToLine(point));
    }

    [Fact]
    public void An_empty_field_set_is_rejected()
    {
        var error = Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.ToLine(new Point("m").Tag("k", "v")));

        Assert.Equal(LineProtocolElement.FieldSet, error.Element);
    }

    [Fact]
    public void Timestamps_are_written_in_milliseconds()
    {
        var time = new DateTimeOffset(2026, 11, 22, 19, 0, 4, 981, TimeSpan.FromHours(1)).AddTicks(9999);

        Assert.Equal("m v=1 1795370404981", LineProtocolEncoder.ToLine(new Point("m").Field("v", 1.0).Timestamp(time)));
        Assert.Equal("m v=1 -5", LineProtocolEncoder.ToLine(new Point("m").Field("v", 1.0).Timestamp(-5L)));
        Assert.Equal("m v=1", LineProtocolEncoder.ToLine(new Point("m").Field("v", 1.0)));
    }

    [Theory]
    [InlineData(LineProtocolEncoder.MaxUnixMilliseconds + 1)]
    [InlineData(LineProtocolEncoder.MinUnixMilliseconds - 1)]
    public void Timestamps_outside_influxdb_range_are_rejected(long milliseconds)
    {
        var error = Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.ToLine(new Point("m").Field("v", 1.0).Timestamp(milliseconds)));

        Assert.Equal(LineProtocolElement.Timestamp, error.Element);
    }

    [Theory]
    [InlineData("a\nb", "line feed")]
    [InlineData(@"ends\", "ends with a backslash")]
    [InlineData(@"\", "ends with a backslash")]
    [InlineData(@"a\,b", "backslash right before ','")]
    [InlineData(@"a\=b", "backslash right before '='")]
    [InlineData(@"a\ b", "backslash right before ' '")]
    [InlineData("a\\\"b", "backslash right before '\"'")]
    [InlineData("", "is empty")]
    public void Names_and_tag_values_that_line_protocol_cannot_carry_are_rejected(string name, string reason)
    {
        AssertRejected(new Point(name).Field("v", 1.0), LineProtocolElement.Measurement, null, reason);
        AssertRejected(new Point("m").Tag(name, "x").Field("v", 1.0), LineProtocolElement.TagKey, name, reason);
        AssertRejected(new Point("m").Field(name, 1.0), LineProtocolElement.FieldKey, name, reason);
        if (name.Length > 0)
        {
            AssertRejected(new Point("m").Tag("k", name).Field("v", 1.0), LineProtocolElement.TagValue, "k", reason);
        }
    }

    [Theory]
    [InlineData("#comment", LineProtocolElement.Measurement, "'#'")]
    [InlineData("\tleading tab", LineProtocolElement.Measurement, "tab")]
    [InlineData("\0leading nul", LineProtocolElement.Measurement, "NUL")]
    public void Measurements_that_influxdb_would_read_as_a_comment_or_strip_are_rejected(string measurement, LineProtocolElement element, string reason)
    {
        AssertRejected(new Point(measurement).Field("v", 1.0), element, null, reason);
    }

    [Fact]
    public void Field_keys_starting_with_white_space_that_influxdb_strips_are_rejected()
    {
        AssertRejected(new Point("m").Field("\tkey", 1.0), LineProtocolElement.FieldKey, "\tkey", "tab");
        Assert.Equal("m,\tkey=x v=1", LineProtocolEncoder.ToLine(new Point("m").Tag("\tkey", "x").Field("v", 1.0)));
        Assert.Equal("m,#k=#v #f=1", LineProtocolEncoder.ToLine(new Point("m").Tag("#k", "#v").Field("#f", 1.0)));
    }

    [Theory]
    [InlineData("time")]
    [InlineData("_field")]
    [InlineData("_measurement")]
    public void Reserved_keys_are_rejected_for_tags_and_fields(string key)
    {
        AssertRejected(new Point("m").Tag(key, "x").Field("v", 1.0), LineProtocolElement.TagKey, key, "reserved");
        AssertRejected(new Point("m").Field(key, 1.0), LineProtocolElement.FieldKey, key, "reserved");
        Assert.Equal($"{key} v=1", LineProtocolEncoder.ToLine(new Point(key).Field("v", 1.0)));
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_rejected_wherever_it_is()
    {
        const string Bad = "bad\uD800surrogate";
        AssertRejected(new Point(Bad).Field("v", 1.0), LineProtocolElement.Measurement, null, "UTF-16");
        AssertRejected(new Point("m").Tag(Bad, "x").Field("v", 1.0), LineProtocolElement.TagKey, Bad, "UTF-16");
        AssertRejected(new Point("m").Tag("k", Bad).Field("v", 1.0), LineProtocolElement.TagValue, "k", "UTF-16");
        AssertRejected(new Point("m").Field(Bad, 1.0), LineProtocolElement.FieldKey, Bad, "UTF-16");
        AssertRejected(new Point("m").Field("s", "bad\uDC00"), LineProtocolElement.FieldValue, "s", "UTF-16");
    }

    [Fact]
    public void A_default_field_value_is_rejected()
    {
        AssertRejected(new Point("m").Field("s", default(FieldValue)), LineProtocolElement.FieldValue, "s", "no value");
    }

    [Fact]
    public void Nothing_is_written_when_a_point_is_rejected()
    {
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.Write(buffer, new Point("m").Field("v", 1.0));
        var before = buffer.WrittenSpan.ToArray();

        Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.Write(buffer, new Point("m").Tag("k", "fine").Field("v", double.NaN)));
        Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.Write(buffer, new Point("m").Tag("k", "fine").Field("s", "lone \uD800")));

        Assert.Equal(before, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Each_point_is_one_line_ending_with_a_line_feed()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var written = LineProtocolEncoder.Write(buffer, [new Point("a").Field("v", 1L).Timestamp(1L), new Point("b").Field("v", 2L).Timestamp(2L)]);

        Assert.Equal("a v=1i 1\nb v=2i 2\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(buffer.WrittenCount, written);
    }

    [Fact]
    public void Encoded_text_is_utf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.Write(buffer, new Point("路灯").Field("µ", "Ω🚀"));

        Assert.Equal(Encoding.UTF8.GetBytes("路灯 µ=\"Ω🚀\"\n"), buffer.WrittenSpan.ToArray());
    }

    private static void AssertRejected(Point point, LineProtocolElement element, string? key, string reason)
    {
        var error = Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.Write(new ArrayBufferWriter<byte>(), point));
        Assert.Equal(element, error.Element);
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
