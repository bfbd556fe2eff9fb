using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Telemetry.Bench.Chaos;

/// <summary>What InfluxDB holds of one gateway: its reading points by key, and its <c>batches</c> points (seq and readings stored).</summary>
internal sealed class StoredReadings(Uri influx, string gateway)
{
    private static readonly string[] Measurements = ["street_controller", "high_mast", "distribution_box", "emergency_battery", "light_time_controller"];
    private readonly HttpClient _http = new() { BaseAddress = influx, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Every reading point of the gateway; a point is one per series and time, however often it was written.</summary>
    public async Task<HashSet<ReadingKey>> ReadingsAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<ReadingKey>();
        foreach (var measurement in Measurements)
        {
            foreach (var row in await RowsAsync($"SELECT * FROM \"{measurement}\" WHERE \"gateway\" = '{gateway}'", cancellationToken))
            {
                keys.Add(new ReadingKey(measurement, row.Text("device")!, row.Text("circuit"), row.Time));
            }
        }

        return keys;
    }

    /// <summary>The seqs of the gateway's <c>batches</c> points, each with the readings Ingest stored of it (a seq twice is listed twice).</summary>
    public async Task<IReadOnlyList<(long Seq, long Readings)>> BatchesAsync(CancellationToken cancellationToken) =>
        [.. (await RowsAsync($"SELECT \"seq\", \"readings\" FROM \"batches\" WHERE \"gateway\" = '{gateway}'", cancellationToken))
            .Select(r => (r.Number("seq"), r.Number("readings")))];

    /// <summary>How many batch points there are: cheap enough to ask every half second.</summary>
    public async Task<long> BatchCountAsync(CancellationToken cancellationToken)
    {
        var rows = await RowsAsync($"SELECT count(\"seq\") FROM \"batches\" WHERE \"gateway\" = '{gateway}'", cancellationToken);
        return rows.Count == 0 ? 0 : rows[0].Number("count");
    }

    /// <summary>
    /// The rows of a query, asked for in chunks: a plain answer stops at influxd's <c>max-row-limit</c> (10,000 rows), a
    /// chunked one has no such bound. Each chunk is a JSON document of its own, one a line.
    /// </summary>
    private async Task<List<Row>> RowsAsync(string query, CancellationToken cancellationToken)
    {
        var uri = $"query?db=telemetry&epoch=ms&chunked=true&chunk_size=2000&q={Uri.EscapeDataString(query)}";
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var rows = new List<Row>();
        while (await body.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line);
            foreach (var result in chunk.RootElement.GetProperty("results").EnumerateArray())
            {
                if (result.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"InfluxDB refused '{query}': {error.GetString()}");
                }

                if (!result.TryGetProperty("series", out var series))
                {
                    continue;
                }

                foreach (var one in series.EnumerateArray())
                {
                    var columns = one.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                    foreach (var values in one.GetProperty("values").EnumerateArray())
                    {
                        rows.Add(new Row(columns, [.. values.EnumerateArray().Select(v => v.Clone())]));
                    }
                }
            }
        }

        return rows;
    }

    private sealed record Row(List<string> Columns, JsonElement[] Values)
    {
        public long Time => Number("time");

        public long Number(string column) => Values[Columns.IndexOf(column)].GetInt64();

        public string? Text(string column) => Columns.IndexOf(column) is var i and >= 0 && Values[i].ValueKind == JsonValueKind.String ? Values[i].GetString() : null;
    }
}

/// <summary>
/// When readings were stored: the count of the gateway's batch points asked every half second, and each moment it grew, so
/// that the time from a restart (or a continue) to the first reading stored after it can be told afterwards.
/// </summary>
internal sealed class StoredReadingsWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly StoredReadings _stored;
    private readonly long _origin;
    private readonly List<TimeSpan> _growths = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StoredReadingsWatch(StoredReadings stored, long origin)
    {
        _stored = stored;
        _origin = origin;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>From <paramref name="since"/> (on the run's clock) to the first time the stored batches were seen to grow; null if never.</summary>
    public TimeSpan? FirstGrowthAfter(TimeSpan since)
    {
        lock (_growths)
        {
            return _growths.FirstOrDefault(g => g > since) is var at && at > since ? at - since : null;
        }
    }

    private async Task LoopAsync()
    {
        long last = -1;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    bounded.CancelAfter(TimeSpan.FromSeconds(2));
                    var count = await _stored.BatchCountAsync(bounded.Token);
                    if (last >= 0 && count > last)
                    {
                        lock (_growths)
                        {
                            _growths.Add(Stopwatch.GetElapsedTime(_origin));
                        }
                    }

                    last = Math.Max(last, count);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException or JsonException && !_stop.IsCancellationRequested)
                {
                    // influxd down or paused: nothing stored is seen until it answers again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    public static string Format(TimeSpan? span) => span is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:F1} s") : "none";
}
