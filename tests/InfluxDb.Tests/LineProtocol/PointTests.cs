using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Tests.LineProtocol;

public sealed class PointTests
{
    [Fact]
    public void Tags_stay_sorted_by_key_as_they_are_added()
    {
        var point = new Point("m").Tag("zone", "1").Tag("alpha", "2").Tag("mid", "3");

        Assert.Equal(["alpha", "mid", "zone"], point.Tags.ToArray().Select(t => t.Key));
    }

    [Fact]
    public void Fields_keep_the_order_they_were_first_set_in()
    {
        var point = new Point("m").Field("z", 1.0).Field("a", 2L).Field("z", 3.0);

        Assert.Equal(["z", "a"], point.Fields.ToArray().Select(f => f.Key));
        Assert.Equal(3.0, point.Fields[0].Value.AsDouble());
    }

    [Fact]
    public void Reset_empties_the_point_for_reuse()
    {
        var point = new Point("m").Tag("k", "v").Field("f", 1.0).Timestamp(5L);

        point.Reset("other").Field("g", true);

        Assert.Equal("other g=true", point.ToString());
        Assert.Equal(0, point.TagCount);
        Assert.Null(point.UnixMilliseconds);
    }

    [Fact]
    public void Timestamps_from_date_time_offsets_are_truncated_to_the_millisecond()
    {
        var point = new Point("m").Field("f", 1.0).Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(1234).AddTicks(9999));

        Assert.Equal(1234, point.UnixMilliseconds);
    }

    [Fact]
    public void Field_values_compare_by_kind_and_content()
    {
        Assert.Equal(FieldValue.Integer(1), (FieldValue)1L);
        Assert.NotEqual(FieldValue.Integer(1), FieldValue.Float(1));
        Assert.Equal(FieldValue.Float(double.NaN), FieldValue.Float(double.NaN));
        Assert.Throws<InvalidOperationException>(() => FieldValue.Boolean(true).AsString());
    }

    [Fact]
    public void Invalid_points_describe_themselves_instead_of_throwing_from_ToString()
    {
        Assert.Contains("invalid", new Point("m").ToString(), StringComparison.Ordinal);
    }
}
