using System.Text.Json;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Querying;

namespace Telemetry.InfluxDb.Tests.Integration;

public sealed class HostileTextRoundTripTests(InfluxServerFixture influx) : IClassFixture<InfluxServerFixture>
{
    private const long Start = 1_700_000_000_000;

    /// <summary>Names line protocol can carry: every special character, backslashes (not before a special
    /// character nor last), non-ASCII, emoji, control characters.</summary>
    private static readonly string[] HostileNames =
    [
        "plain", "with space", " leading space", "trailing space ", "com,ma", "eq=ual", "quo\"te", "'single'",
        @"back\slash", @"two\\backslashes", @"\leading backslash", "路灯 Ωµ", "emoji 🚀🔥", "hash#", "#leading hash",
        "mix ,=\"' \\x 路🚀", "carriage\rreturn", "tab\tinside", "time of day", "a=b,c=d e",
    ];

    /// <summary>String field values may also hold line feeds and trailing backslashes.</summary>
    private static readonly string[] HostileValues =
    [
        .. HostileNames, @"trailing backslash\", @"\", @"\\", "new\nline", "\n", "crlf\r\n", "a\\\"b", "\"\"", "", "{\"json\": [1, 2]}",
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hostile_text_in_every_part_of_a_point_reads_back_exactly(bool gzip)
    {
        using var client = await influx.ClientOfNewDatabaseAsync(o => o with { Gzip = gzip });
        var measurements = HostileNames.Where(n => !n.StartsWith('#')).ToArray();
        var points = new List<Point>();
        for (var i = 0; i < measurements.Length; i++)
        {
            points.Add(new Point(measurements[i]).Tag("id", $"{i}").Field("v", (long)i).Timestamp(Start + i));
        }

        for (var i = 0; i < HostileNames.Length; i++)
        {
            points.Add(new Point("tags").Tag("id", $"{i}").Tag("k", HostileNames[i]).Field("v", (long)i).Timestamp(Start + i));
            points.Add(new Point("tagkeys").Tag(HostileNames[i], "x").Field("v", (long)i).Timestamp(Start + i));
            points.Add(new Point("fieldkeys").Field(HostileNames[i], (double)i).Timestamp(Start + i));
        }

        for (var i = 0; i < HostileValues.Length; i++)
        {
            points.Add(new Point("strings").Tag("id", $"{i}").Field("s", HostileValues[i]).Timestamp(Start + i));
        }

        await client.WriteAsync(points);

        var shown = await client.QueryAsync("SHOW MEASUREMENTS", null);
        Assert.Equal(Sorted([.. measurements, "tags", "tagkeys", "fieldkeys", "strings"]), Sorted(Column(shown.Series[0], "name")));
        for (var i = 0; i < measurements.Length; i++)
        {
            if (!Quotable(measurements[i]))
            {
                continue;
            }

            var series = Assert.Single((await client.QueryAsync($"SELECT * FROM {InfluxQl.QuoteIdentifier(measurements[i])}", null)).Series);
            Assert.Equal(measurements[i], series.Name);
            Assert.Equal(i, series.GetInt64(0, "v"));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Start + i), series.GetTimestamp(0));
        }

        var tags = (await client.QueryAsync("SELECT * FROM tags", null)).Series[0];
        Assert.Equal(HostileNames, ById(tags, "k"));
        for (var i = 0; i < HostileNames.Length; i++)
        {
            if (!Quotable(HostileNames[i]))
            {
                continue;
            }

            var match = await client.QueryAsync($"SELECT v FROM tags WHERE k = {InfluxQl.QuoteString(HostileNames[i])}", null);
            Assert.Equal(i, Assert.Single(match.Series).GetInt64(0, "v"));
        }

        var tagKeys = (await client.QueryAsync("SHOW TAG KEYS FROM tagkeys", null)).Series[0];
        Assert.Equal(Sorted(HostileNames), Sorted(Column(tagKeys, "tagKey")));

        var fieldKeys = (await client.QueryAsync("SHOW FIELD KEYS FROM fieldkeys", null)).Series[0];
        Assert.Equal(Sorted(HostileNames), Sorted(Column(fieldKeys, "fieldKey")));
        for (var i = 0; i < HostileNames.Length; i++)
        {
            if (!Quotable(HostileNames[i]))
            {
                continue;
            }

            var field = await client.QueryAsync($"SELECT {InfluxQl.QuoteIdentifier(HostileNames[i])} FROM fieldkeys", null);
            Assert.Equal(i, field.Series[0].GetDouble(0, 1));
        }

        var strings = (await client.QueryAsync("SELECT * FROM strings", null)).Series[0];
        Assert.Equal(HostileValues, ById(strings, "s"));
    }

    [Fact]
    public async Task Hostile_text_reads_back_the_same_through_the_influx_command_line_client()
    {
        using var client = await influx.ClientOfNewDatabaseAsync();
        var points = new List<Point>();
        for (var i = 0; i < HostileValues.Length; i++)
        {
            points.Add(new Point("strings").Tag("id", $"{i}").Field("s", HostileValues[i]).Timestamp(Start + i));
        }

        for (var i = 0; i < HostileNames.Length; i++)
        {
            points.Add(new Point("tags").Tag("id", $"{i}").Tag("k", HostileNames[i]).Field(HostileNames[i], (long)i).Timestamp(Start + i));
        }

        await client.WriteAsync(points);

        var strings = await CliQueryAsync(client.Options.Database, "SELECT * FROM strings");
        var columns = strings.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        var values = strings.GetProperty("values").EnumerateArray()
            .OrderBy(row => int.Parse(row[columns.IndexOf("id")].GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .Select(row => row[columns.IndexOf("s")].GetString())
            .ToArray();
        Assert.Equal(HostileValues, values);

        var tagValues = await CliQueryAsync(client.Options.Database, "SHOW TAG VALUES FROM tags WITH KEY = k");
        Assert.Equal(Sorted(HostileNames), Sorted(tagValues.GetProperty("values").EnumerateArray().Select(row => row[1].GetString()!)));

        var fieldKeys = await CliQueryAsync(client.Options.Database, "SHOW FIELD KEYS FROM tags");
        Assert.Equal(Sorted(HostileNames), Sorted(fieldKeys.GetProperty("values").EnumerateArray().Select(row => row[0].GetString()!)));
    }

    [Fact]
    public async Task Numbers_booleans_and_millisecond_timestamps_read_back_exactly()
    {
        using var client = await influx.ClientOfNewDatabaseAsync();
        double[] floats = [0.1, -0.0, 1e-300, double.MaxValue, double.Epsilon, 229.4, -1.5e-5, 1e20];
        long[] integers = [0, -1, long.MaxValue, long.MinValue, 9_007_199_254_740_993];
        var points = new List<Point>();
        for (var i = 0; i < floats.Length; i++)
        {
            points.Add(new Point("floats").Field("f", floats[i]).Timestamp(Start + i));
        }

        for (var i = 0; i < integers.Length; i++)
        {
            points.Add(new Point("integers").Field("n", integers[i]).Field("even", i % 2 == 0).Timestamp(Start + i));
        }

        var edge = new DateTimeOffset(2262, 4, 11, 0, 0, 0, 123, TimeSpan.Zero);
        points.Add(new Point("times").Field("v", 1.0).Timestamp(edge));
        points.Add(new Point("times").Field("v", 2.0).Timestamp(new DateTimeOffset(1677, 9, 22, 0, 0, 0, 1, TimeSpan.Zero)));
        await client.WriteAsync(points);

        var floatSeries = (await client.QueryAsync("SELECT f FROM floats", null)).Series[0];
        Assert.Equal(floats, Enumerable.Range(0, floatSeries.RowCount).Select(r => floatSeries.GetDouble(r, "f")));
        var integerSeries = (await client.QueryAsync("SELECT n, even FROM integers", null)).Series[0];
        Assert.Equal(integers, Enumerable.Range(0, integerSeries.RowCount).Select(r => integerSeries.GetInt64(r, "n")));
        Assert.Equal([true, false, true, false, true], Enumerable.Range(0, integerSeries.RowCount).Select(r => integerSeries.GetBoolean(r, "even")));
        var times = (await client.QueryAsync("SELECT v FROM times", null)).Series[0];
        Assert.Equal(new DateTimeOffset(1677, 9, 22, 0, 0, 0, 1, TimeSpan.Zero), times.GetTimestamp(0));
        Assert.Equal(edge, times.GetTimestamp(1));
    }

    [Fact]
    public async Task What_the_encoder_rejects_influxdb_would_refuse_or_store_differently()
    {
        using var client = await influx.ClientOfNewDatabaseAsync();

        // A tag value ending in a backslash: the backslash escapes the separator after it.
        var trailing = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync("m,k=ends\\ v=1 1\n"u8.ToArray()));
        Assert.Contains("unable to parse", trailing.ServerMessage, StringComparison.Ordinal);

        // A backslash before a comma in a field key: the line no longer parses.
        var beforeComma = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync("m a\\\\,b=1 1\n"u8.ToArray()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, beforeComma.StatusCode);

        // A measurement starting with '#' is a comment: accepted, and silently nothing is stored.
        await client.WriteAsync("#hash v=1 1\n"u8.ToArray());
        Assert.Empty((await client.QueryAsync("SHOW MEASUREMENTS", null)).Series);

        Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.ToLine(new Point("m").Tag("k", "ends\\").Field("v", 1.0)));
        Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.ToLine(new Point("m").Field("a\\,b", 1.0)));
        Assert.Throws<InfluxValueException>(() => LineProtocolEncoder.ToLine(new Point("#hash").Field("v", 1.0)));
    }

    private async Task<JsonElement> CliQueryAsync(string database, string query)
    {
        var result = await influx.Server.RunCliAsync("-database", database, "-format", "json", "-execute", query);
        result.EnsureSuccess($"influx -execute {query}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.GetProperty("results")[0].GetProperty("series")[0].Clone();
    }

    /// <summary>InfluxQL cannot quote a carriage return (see <see cref="InfluxQl"/>).</summary>
    private static bool Quotable(string text) => !text.Contains('\r', StringComparison.Ordinal);

    private static string[] ById(InfluxSeries series, string column) =>
        [.. Enumerable.Range(0, series.RowCount)
            .OrderBy(r => int.Parse(series.GetString(r, "id"), System.Globalization.CultureInfo.InvariantCulture))
            .Select(r => series.GetString(r, column))];

    private static IEnumerable<string> Column(InfluxSeries series, string column) =>
        Enumerable.Range(0, series.RowCount).Select(r => series.GetString(r, column));

    private static List<string> Sorted(IEnumerable<string> values)
    {
        var list = values.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
