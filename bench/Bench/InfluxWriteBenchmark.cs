using System.Diagnostics;
using System.Globalization;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// Writing readings to InfluxDB: the raw rate (curl posting ready line protocol over one kept-alive
/// connection) against our encoder and client doing the whole job from points, same points, same server.
/// </summary>
internal static class InfluxWriteBenchmark
{
    public static async Task RunAsync(int points, int batchPoints, int rounds)
    {
        Console.WriteLine($"InfluxDB writes: {points:N0} points in batches of {batchPoints:N0}, each run into a fresh database, median of {rounds} rounds");
        await using var influx = await InfluxServer.StartAsync();
        using var http = new HttpClient { BaseAddress = influx.Url, Timeout = TimeSpan.FromMinutes(2) };

        // The raw limit: bodies prepared beforehand, posted back to back by curl.
        var folder = RepositoryPaths.NewScratchDirectory("bench-influx");
        var files = new List<string>();
        for (var start = 0; start < points; start += batchPoints)
        {
            using var builder = new PointBatchBuilder(batchPoints, int.MaxValue);
            foreach (var point in Readings(start, Math.Min(batchPoints, points - start)))
            {
                builder.Add(point);
            }

            using var batch = builder.TakeBatch();
            var file = Path.Combine(folder, $"batch-{files.Count}.lp");
            await File.WriteAllBytesAsync(file, batch.Body.ToArray());
            files.Add(file);
        }

        List<double> raw = [], plain = [], gzipped = [];
        for (var round = 0; round < rounds; round++)
        {
            raw.Add(await RawAsync(influx, http, files, points, $"raw_{round}"));
            plain.Add(await OursAsync(influx, points, batchPoints, gzip: false, $"ours_{round}"));
            gzipped.Add(await OursAsync(influx, points, batchPoints, gzip: true, $"ours_gzip_{round}"));
        }

        var rawRate = Figures.Median(raw);
        var ours = Figures.Median(plain);
        var oursGzip = Figures.Median(gzipped);

        Figures.Rate("raw: curl posting prepared line protocol", rawRate, "points");
        Figures.Rate("ours: points encoded and written by InfluxClient", ours, "points");
        Figures.Rate("ours with gzip bodies", oursGzip, "points");
        Figures.Ratio("ours / raw", ours / rawRate, 0.8);
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<double> RawAsync(InfluxServer influx, HttpClient http, List<string> files, int points, string database)
    {
        await CreateAsync(http, database);
        var url = new Uri(influx.Url, $"write?db={database}&precision=ms").ToString();
        var curlArguments = files.SelectMany((f, i) => (i == 0 ? Array.Empty<string>() : ["--next"]).Concat(["-sf", "-o", "/dev/null", "--data-binary", "@" + f, url])).ToList();
        var started = Stopwatch.GetTimestamp();
        (await ExternalCommand.RunAsync("curl", curlArguments, TimeSpan.FromMinutes(10))).EnsureSuccess("curl");
        return points / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<double> OursAsync(InfluxServer influx, int points, int batchPoints, bool gzip, string database)
    {
        using var client = new InfluxClient(new InfluxClientOptions { BaseAddress = influx.Url, Database = database, Gzip = gzip });
        await client.CreateDatabaseAsync(database);
        var started = Stopwatch.GetTimestamp();
        using var builder = new PointBatchBuilder(batchPoints, int.MaxValue);
        foreach (var point in Readings(0, points))
        {
            builder.Add(point);
            if (builder.IsFull)
            {
                using var batch = builder.TakeBatch();
                await client.WriteAsync(batch.Body);
            }
        }

        if (!builder.IsEmpty)
        {
            using var batch = builder.TakeBatch();
            await client.WriteAsync(batch.Body);
        }

        return points / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task CreateAsync(HttpClient http, string database)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", $"CREATE DATABASE {database}")]);
        using var response = await http.PostAsync(new Uri("query", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>High-mast readings from 500 devices, one per second each: the shape Ingest writes.</summary>
    private static IEnumerable<Point> Readings(int start, int count)
    {
        var origin = new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var point = new Point("high_mast");
        for (var i = start; i < start + count; i++)
        {
            var device = i % 500;
            yield return point.Reset("high_mast")
                .Tag("site", "north")
                .Tag("gateway", string.Create(CultureInfo.InvariantCulture, $"gw-{device / 50:00}"))
                .Tag("device", string.Create(CultureInfo.InvariantCulture, $"mast-{device:000}"))
                .Field("lamps_installed", 12L)
                .Field("lamps_lit", (long)(12 - (i % 3)))
                .Field("commanded_on", true)
                .Field("voltage_v", 229.4 + (i % 7))
                .Field("current_a", 18.2 - (i % 5))
                .Timestamp(origin + ((i / 500) * 1000L));
        }
    }
}
