using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.InfluxDb.Tests.LineProtocol;

/// <summary>Points written from UTF-8 are the lines <see cref="LineProtocolEncoder"/> writes for the same points, refused for the same reasons.</summary>
public sealed class Utf8PointWriterTests
{
    private static readonly Gen<string> Pieces = Gen.Frequency(
        (8, Gen.Elements(",", "=", " ", "\"", "\\", "\n", "\r", "\t", "\0", "#", "a", "Z", "0", "é", "路", "Ω", "time", "_field")),
        (1, Gen.Elements("😀", "🚀")));

    private static readonly Arbitrary<string> HostileText = Gen.ArrayOf(Pieces).Select(string.Concat).ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Any_text_in_any_place_gives_the_line_or_the_refusal_of_the_point_encoder() =>
        Prop.ForAll(HostileText, Gen.Choose(0, 4).ToArbitrary(), (text, slot) =>
        {
            var measurement = slot == 0 ? text : "m";
            var tagKey = slot == 1 ? text : "k";
            var tagValue = slot == 2 ? text : "v";
            var fieldKey = slot == 3 ? text : "f";
            var stringValue = slot == 4 ? text : "s";
            var point = new Point(measurement).Tag(tagKey, tagValue).Tag("zz", "last").Field(fieldKey, 1.5).Field("g", 7L).Field("h", true).Field("s", stringValue).Timestamp(1_700_000_000_000L);
            var expected = Outcome(() => LineProtocolEncoder.ToLine(point) + "\n");
            var actual = Outcome(() =>
            {
                using var builder = new PointBatchBuilder();
                var writer = builder.StartPoint(Encoding.UTF8.GetBytes(measurement));
                writer.Tag(Encoding.UTF8.GetBytes(tagKey), Encoding.UTF8.GetBytes(tagValue));
                writer.Tag("zz"u8, "last"u8);
                writer.Field(Encoding.UTF8.GetBytes(fieldKey), 1.5);
                writer.Field("g"u8, 7L);
                writer.Field("h"u8, true);
                writer.StringField("s"u8, Encoding.UTF8.GetBytes(stringValue));
                writer.End(1_700_000_000_000L);
                using var batch = builder.TakeBatch();
                return Encoding.UTF8.GetString(batch.Body.Span);
            });

            // A tag key that sorts after "zz" would be written out of order by design; the point encoder sorts.
            return (string.CompareOrdinal(tagKey, "zz") >= 0 || expected == actual).Label($"encoder: {expected}\nwriter: {actual}");
        });

    [Property(MaxTest = 300)]
    public Property Floats_and_integers_are_written_as_the_point_encoder_writes_them(double number, long integer)
    {
        if (!double.IsFinite(number))
        {
            return true.ToProperty();
        }

        using var builder = new PointBatchBuilder();
        var writer = builder.StartPoint("m"u8);
        writer.Field("f"u8, number);
        writer.Field("i"u8, integer);
        writer.End(1);
        using var batch = builder.TakeBatch();
        return (Encoding.UTF8.GetString(batch.Body.Span) == LineProtocolEncoder.ToLine(new Point("m").Field("f", number).Field("i", integer).Timestamp(1L)) + "\n").ToProperty();
    }

    private static readonly Gen<string> NumberTexts =
        from mantissa in Gen.Choose(-2_000_000_000, 2_000_000_000)
        from scale in Gen.Choose(-12, 12)
        from format in Gen.Elements("R", "F0", "F1", "F3", "F6", "E3", "G17", "0.00####")
        from padding in Gen.Elements(string.Empty, "0", "00")
        let value = mantissa * Math.Pow(10, scale)
        let text = value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)
        select text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal) ? text + padding : text;

    private static readonly Gen<string> OddNumberTexts = Gen.Elements(
        "0", "-0", "007", "-007", "0.0", "-0.0", "0.0001", "0.00001", "1.50", "230", "230.0", "999999999999999", "1000000000000000",
        "123456789012345.6", "0.123456789012345", "0.1234567890123456", "9223372036854775807", "123456789012345678", "-123456789012345678",
        "1e5", "1.5E+20", ".5", "5.", "+1", "1,5", "0x10", "--1", "", "-");

    [Property(MaxTest = 2000)]
    public Property Number_text_is_copied_only_when_it_is_what_formatting_its_value_writes() =>
        Prop.ForAll(Gen.Frequency((6, NumberTexts), (1, OddNumberTexts)).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (text, integer) =>
        {
            using var builder = new PointBatchBuilder();
            var writer = builder.StartPoint("m"u8);
            var copied = writer.TryFieldText("f"u8, Encoding.UTF8.GetBytes(text), integer);
            if (!copied)
            {
                return true.Label("left to formatting");
            }

            writer.End(1L);
            using var batch = builder.TakeBatch();
            var point = integer
                ? new Point("m").Field("f", long.Parse(text, System.Globalization.CultureInfo.InvariantCulture))
                : new Point("m").Field("f", double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            var expected = LineProtocolEncoder.ToLine(point.Timestamp(1L)) + "\n";
            return (Encoding.UTF8.GetString(batch.Body.Span) == expected).Label($"{text}: {Encoding.UTF8.GetString(batch.Body.Span)} instead of {expected}");
        });

    [Theory]
    [InlineData("229.5", false)]
    [InlineData("-0.0001", false)]
    [InlineData("230", false)]
    [InlineData("12345678901234.5", false)]
    [InlineData("7", true)]
    [InlineData("-123456789012345678", true)]
    public void Number_text_in_the_written_form_is_copied(string text, bool integer)
    {
        using var builder = new PointBatchBuilder();
        var writer = builder.StartPoint("m"u8);

        Assert.True(writer.TryFieldText("f"u8, Encoding.UTF8.GetBytes(text), integer));
        writer.End(1L);
        using var batch = builder.TakeBatch();
        Assert.Equal($"m f={text}{(integer ? "i" : string.Empty)} 1\n", Encoding.UTF8.GetString(batch.Body.Span));
    }

    [Theory]
    [InlineData("229.50", false)]
    [InlineData("0.00001", false)]
    [InlineData("1e5", false)]
    [InlineData("1000000000000000", false)]
    [InlineData("-0", false)]
    [InlineData("007", true)]
    [InlineData("9223372036854775807", true)]
    [InlineData("1.5", true)]
    [InlineData("", true)]
    public void Number_text_in_another_form_is_left_to_formatting_and_writes_nothing(string text, bool integer)
    {
        using var builder = new PointBatchBuilder();
        var writer = builder.StartPoint("m"u8);

        Assert.False(writer.TryFieldText("f"u8, Encoding.UTF8.GetBytes(text), integer));
        writer.Field("g"u8, 1L);
        writer.End(1L);
        using var batch = builder.TakeBatch();
        Assert.Equal("m g=1i 1\n", Encoding.UTF8.GetString(batch.Body.Span));
    }

    [Fact]
    public void A_refused_point_leaves_nothing_behind_and_the_batch_goes_on()
    {
        using var builder = new PointBatchBuilder();
        builder.Add(new Point("m").Field("f", 1L));
        var before = builder.Position;

        var refused = Assert.Throws<InfluxValueException>(() =>
        {
            var writer = builder.StartPoint("m"u8);
            writer.Tag("k"u8, "v"u8);
            writer.Field("f"u8, double.NaN);
        });
        var line = builder.StartPoint("n"u8);
        line.Field("f"u8, 2L);
        line.End(5);

        Assert.Equal(LineProtocolElement.FieldValue, refused.Element);
        Assert.Equal(before.PointCount + 1, builder.PointCount);
        using var batch = builder.TakeBatch();
        Assert.Equal("m f=1i\nn f=2i 5\n", Encoding.UTF8.GetString(batch.Body.Span));
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused_by_name()
    {
        using var builder = new PointBatchBuilder();
        var error = Assert.Throws<InfluxValueException>(() =>
        {
            var writer = builder.StartPoint("m"u8);
            writer.Tag("k"u8, [0x61, 0xC3, 0x28]);
        });

        Assert.Equal(LineProtocolElement.TagValue, error.Element);
        Assert.Equal("k", error.Key);
        Assert.Contains("UTF-8", error.Reason, StringComparison.Ordinal);
        Assert.True(builder.IsEmpty);
        Assert.Equal(0, builder.ByteCount);
    }

    [Fact]
    public void A_point_without_fields_is_refused_and_one_not_ended_is_dropped()
    {
        using var builder = new PointBatchBuilder();
        var empty = Assert.Throws<InfluxValueException>(() => builder.StartPoint("m"u8).End(1));
        var abandoned = builder.StartPoint("abandoned"u8);
        abandoned.Field("f"u8, 1L);
        builder.Add(new Point("kept").Field("f", 2L));

        InvalidOperationException? late = null;
        try
        {
            abandoned.End(1);
        }
        catch (InvalidOperationException ex)
        {
            late = ex;
        }

        Assert.Equal(LineProtocolElement.FieldSet, empty.Element);
        Assert.NotNull(late);
        using var batch = builder.TakeBatch();
        Assert.Equal("kept f=2i\n", Encoding.UTF8.GetString(batch.Body.Span));
    }

    [Fact]
    public void Rolling_back_drops_the_points_added_since_the_position()
    {
        using var builder = new PointBatchBuilder();
        builder.Add(new Point("a").Field("f", 1L));
        var position = builder.Position;
        builder.Add(new Point("b").Field("f", 2L));
        var open = builder.StartPoint("c"u8);
        open.Field("f"u8, 3L);

        builder.RollBack(position);

        Assert.Equal(position, builder.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.RollBack(new BatchPosition(position.ByteCount + 1, position.PointCount)));
        using var batch = builder.TakeBatch();
        Assert.Equal("a f=1i\n", Encoding.UTF8.GetString(batch.Body.Span));
    }

    private static string Outcome(Func<string> write)
    {
        try
        {
            return write();
        }
        catch (InfluxValueException ex)
        {
            return $"refused: {ex.Element} {ex.Key} {ex.Reason}";
        }
    }
}
