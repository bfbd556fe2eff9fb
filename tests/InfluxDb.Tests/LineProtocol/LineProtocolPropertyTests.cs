using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Tests.LineProtocol;

/// <summary>Any text either round-trips exactly through the encoder and an InfluxDB 1.x-faithful parser, or is
/// rejected up front for one of the documented reasons.</summary>
public sealed class LineProtocolPropertyTests
{
    private static readonly Gen<string> Pieces = Gen.Frequency(
        (8, Gen.Elements(",", "=", " ", "\"", "\\", "\n", "\r", "\t", "\0", "#", "a", "Z", "0", "é", "路", "Ω", "time")),
        (1, Gen.Elements("😀", "🚀")),
        (1, Gen.Choose(0, 0xFFFF).Select(code => ((char)code).ToString())));

    private static readonly Arbitrary<string> HostileText = Gen.ArrayOf(Pieces).Select(string.Concat).ToArbitrary();

    private enum Slot
    {
        Measurement,
        TagKey,
        TagValue,
        FieldKey,
        StringValue,
    }

    [Property(MaxTest = 1000)]
    public Property Any_measurement_round_trips_or_is_rejected_for_a_documented_reason() =>
        Prop.ForAll(HostileText, text => RoundTripsOrIsRejected(text, Slot.Measurement));

    [Property(MaxTest = 1000)]
    public Property Any_tag_key_round_trips_or_is_rejected_for_a_documented_reason() =>
        Prop.ForAll(HostileText, text => RoundTripsOrIsRejected(text, Slot.TagKey));

    [Property(MaxTest = 1000)]
    public Property Any_tag_value_round_trips_or_is_rejected_for_a_documented_reason() =>
        Prop.ForAll(HostileText, text => RoundTripsOrIsRejected(text, Slot.TagValue));

    [Property(MaxTest = 1000)]
    public Property Any_field_key_round_trips_or_is_rejected_for_a_documented_reason() =>
        Prop.ForAll(HostileText, text => RoundTripsOrIsRejected(text, Slot.FieldKey));

    [Property(MaxTest = 1000)]
    public Property Any_valid_utf16_string_field_value_round_trips() =>
        Prop.ForAll(HostileText, text => RoundTripsOrIsRejected(text, Slot.StringValue));

    [Property(MaxTest = 1000)]
    public Property Any_double_is_written_as_the_same_text_as_its_round_trip_format(double value) =>
        Prop.ToProperty(!double.IsFinite(value) || LineProtocolEncoder.ToLine(new Point("m").Field("f", value))
            == "m f=" + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    [Property(MaxTest = 500)]
    public Property Encoded_batches_never_hold_a_line_feed_outside_a_quoted_string_value() =>
        Prop.ForAll(HostileText, HostileText, HostileText, (name, tag, value) =>
        {
            var points = new[]
            {
                new Point("m").Tag("k", tag).Field("f", 1.0).Timestamp(1L),
                new Point("m").Field("s", value).Field("g", 2L).Timestamp(2L),
                new Point(name).Tag(name, name).Field(name, true),
                new Point("m").Tag("k", "plain").Field("f", 3.0).Timestamp(3L),
            };
            var buffer = new ArrayBufferWriter<byte>();
            var encoded = 0;
            foreach (var point in points)
            {
                try
                {
                    LineProtocolEncoder.Write(buffer, point);
                    encoded++;
                }
                catch (InfluxValueException)
                {
                }
            }

            var body = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            var lines = InfluxLineParser.SplitLines(body);
            var parsed = InfluxLineParser.Parse(buffer.WrittenSpan);
            return lines.Count == encoded && parsed.Count == encoded
                && lines.All(line => !line.Contains('\n', StringComparison.Ordinal) || line.Contains("s=\"", StringComparison.Ordinal));
        });

    private static bool RoundTripsOrIsRejected(string text, Slot slot)
    {
        var point = slot switch
        {
            Slot.Measurement => new Point(text).Tag("k", "v").Field("f", 1.0),
            Slot.TagKey => new Point("m").Tag(text, "v").Field("f", 1.0),
            Slot.TagValue => new Point("m").Tag("k", text).Field("f", 1.0),
            Slot.FieldKey => new Point("m").Tag("k", "v").Field(text, 1.0),
            _ => new Point("m").Tag("k", "v").Field("s", text),
        };
        point.Field("last", 7L).Timestamp(1_700_000_000_000L);

        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            LineProtocolEncoder.Write(buffer, point);
        }
        catch (InfluxValueException)
        {
            return MustBeRejected(text, slot);
        }

        if (MustBeRejected(text, slot))
        {
            return false;
        }

        var parsed = Assert.Single(InfluxLineParser.Parse(buffer.WrittenSpan));
        Assert.Equal(1_700_000_000_000L, parsed.Timestamp);
        Assert.Equal(FieldValue.Integer(7), parsed.Fields[^1].Value);
        switch (slot)
        {
            case Slot.Measurement:
                Assert.Equal(text, parsed.Measurement);
                break;
            case Slot.TagKey:
                Assert.Equal(text, Assert.Single(parsed.Tags).Key);
                break;
            case Slot.TagValue when text.Length == 0:
                Assert.Empty(parsed.Tags);
                break;
            case Slot.TagValue:
                Assert.Equal(text, Assert.Single(parsed.Tags).Value);
                break;
            case Slot.FieldKey:
                Assert.Equal(text, parsed.Fields[0].Key);
                break;
            default:
                Assert.Equal(FieldValue.String(text), parsed.Fields[0].Value);
                break;
        }

        return true;
    }

    /// <summary>The documented rejections, restated independently of the encoder.</summary>
    private static bool MustBeRejected(string text, Slot slot)
    {
        if (!IsValidUtf16(text))
        {
            return true;
        }

        if (slot == Slot.StringValue)
        {
            return false;
        }

        if (slot == Slot.TagValue && text.Length == 0)
        {
            return false; // an empty tag is simply left out
        }

        if (text.Length == 0 || text.Contains('\n', StringComparison.Ordinal) || text.EndsWith('\\'))
        {
            return true;
        }

        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] == '\\' && text[i + 1] is ',' or '=' or ' ' or '"')
            {
                return true;
            }
        }

        return slot switch
        {
            Slot.Measurement => text[0] is '#' or '\t' or '\0',
            Slot.FieldKey => text[0] is '\t' or '\0' || text is "time" or "_field" or "_measurement",
            Slot.TagKey => text is "time" or "_field" or "_measurement",
            _ => false,
        };
    }

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
