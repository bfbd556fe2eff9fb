using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// Readings per second end to end (publisher, Mosquitto, Ingest, InfluxDB) against, in the same run,
/// (a) the broker carrying the same messages to a plain subscriber and (b) InfluxDB taking the same points raw.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task RunAsync(int batches, int readingsPerBatch)
    {
        var readings = (long)batches * readingsPerBatch;
        Console.WriteLine($"Ingest end to end: {batches:N0} batches of {readingsPerBatch} readings ({readings:N0} readings)");
        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        var stream = new GatewayStream(broker, "gw-bench", readingsPerBatch);
        var payloads = Enumerable.Range(0, batches).Select(i => stream.Payload(i)).ToArray();

        var brokerRate = await BrokerAsync(broker, stream.Topic, payloads) * readingsPerBatch;
        // Ingest and the raw writer get the same number of writes in flight (Ingest's default unless told otherwise).
        var writesInFlight = int.TryParse(Environment.GetEnvironmentVariable("BENCH_INGEST_WRITES"), CultureInfo.InvariantCulture, out var w) ? w : 3;
        var (influxOneRate, influxParallelRate, influxCpu) = await RawInfluxAsync(influx, payloads, writesInFlight);
        var influxRate = Math.Max(influxOneRate, influxParallelRate);

        var settings = new Dictionary<string, string>
        {
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "ingest-bench",
            ["Influx:Url"] = influx.Url.ToString(),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["DeadLetters:File"] = Path.Combine(influx.Directory, "dead", "ingest-.jsonl"),
            ["Influx:WritesInFlight"] = writesInFlight.ToString(CultureInfo.InvariantCulture),
        };

        // Unset knobs leave Ingest's own defaults, which are what is measured unless told otherwise.
        foreach (var (variable, key) in new[] { ("BENCH_INGEST_GZIP", "Influx:Gzip"), ("BENCH_INGEST_BATCH", "Influx:BatchPoints"), ("BENCH_INGEST_LINGER", "Influx:Linger"), ("BENCH_INGEST_RECEIVE", "Mqtt:ReceiveMaximum") })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                settings[key] = value;
                Console.WriteLine($"  {key} = {value}");
            }
        }

        await using var ingest = await ServiceProcess.StartAsync("Ingest", settings);
        await Eventually.TrueAsync(async () => (await ingest.HealthAsync()).Contains("\"subscribed\": true", StringComparison.Ordinal), "Ingest subscribes");

        // Warm up (JIT compilation, connections, series creation) with as long a stream of another gateway, then
        // measure the sustained rate.
        var warmUp = new GatewayStream(broker, "gw-warm-up", readingsPerBatch);
        await PublishAsync(broker, warmUp.Topic, [.. Enumerable.Range(0, batches).Select(i => warmUp.Payload(i))], "bench-warm-up");
        await Eventually.TrueAsync(async () => StoredReadings(await ingest.HealthAsync()) >= readings, "warm-up stored", TimeSpan.FromMinutes(10));

        int?[] processes = [ingest.ProcessId, influx.ProcessId, broker.ProcessId, Environment.ProcessId];
        var cpuBefore = processes.Select(ProcessCpu.Used).ToArray();
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(broker, stream.Topic, payloads, "bench-e2e");
        await Eventually.TrueAsync(async () => StoredReadings(await ingest.HealthAsync()) >= 2 * readings, "every reading stored", TimeSpan.FromMinutes(10));
        var endToEnd = readings / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = processes.Select((p, i) => ProcessCpu.MicrosecondsPer(cpuBefore[i], ProcessCpu.Used(p), readings)).ToArray();
        using var health = JsonDocument.Parse(await ingest.HealthAsync());
        var peakHeld = health.RootElement.GetProperty("ingest").GetProperty("peak_held_bytes").GetInt64();
        var workingSet = health.RootElement.GetProperty("ingest").GetProperty("working_set_bytes").GetInt64();
        var writeTimes = health.RootElement.GetProperty("ingest").GetProperty("write_ms");
        var batchSizes = health.RootElement.GetProperty("ingest").GetProperty("batch_points");

        Figures.Rate("(a) broker: our publisher -> Mosquitto -> mosquitto_sub", brokerRate, "readings");
        Figures.Rate("InfluxDB: the same points posted raw by curl, one write at a time", influxOneRate, "readings");
        Figures.Rate($"InfluxDB: the same points posted raw by curl, {writesInFlight} writes at a time", influxParallelRate, "readings");
        Figures.Rate("(b) InfluxDB raw: the faster of the two", influxRate, "readings");
        Figures.Rate("end to end: publisher -> Mosquitto -> Ingest -> InfluxDB", endToEnd, "readings");
        Figures.Value("Ingest peak held payload", peakHeld / 1048576.0, "MiB");
        Figures.Value("Ingest working set after the run", workingSet / 1048576.0, "MiB");
        Figures.Value("Ingest write time p50 (whole run)", writeTimes.GetProperty("p50").GetDouble(), "ms");
        Figures.Value("Ingest write time p99 (whole run)", writeTimes.GetProperty("p99").GetDouble(), "ms");
        Figures.Value("Ingest points per write p50 (whole run)", batchSizes.GetProperty("p50").GetDouble(), "points");
        Figures.Value("CPU per reading, end to end: Ingest", cpu[0], "µs");
        Figures.Value("CPU per reading, end to end: InfluxDB", cpu[1], "µs");
        Figures.Value("CPU per reading, end to end: Mosquitto", cpu[2], "µs");
        Figures.Value("CPU per reading, end to end: the publisher (this process)", cpu[3], "µs");
        Figures.Value($"CPU per reading, InfluxDB raw ({writesInFlight} writes at a time)", influxCpu, "µs");
        Figures.Value("cores on this machine, shared by all of them", Environment.ProcessorCount, "");
        Figures.Ratio("end to end / min(a, b)", endToEnd / Math.Min(brokerRate, influxRate), 0.8);
    }

    private static long StoredReadings(string health)
    {
        using var document = JsonDocument.Parse(health);
        return document.RootElement.GetProperty("ingest").GetProperty("readings_stored").GetInt64();
    }

    /// <summary>Messages per second through the broker to a subscriber that does nothing with them.</summary>
    private static async Task<double> BrokerAsync(MosquittoServer broker, string topic, byte[][] payloads)
    {
        await using var subscriber = ExternalCommand.Start(
            "mosquitto_sub",
            ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "5", "-q", "1", "-t", topic, "-C", payloads.Length.ToString(CultureInfo.InvariantCulture), "-F", "%l"]);
        await Task.Delay(1000);
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(broker, topic, payloads, "bench-broker");
        await subscriber.Process.WaitForExitAsync();
        return payloads.Length / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task PublishAsync(MosquittoServer broker, string topic, byte[][] payloads, string clientId)
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = clientId });
        await client.ConnectAsync(CancellationToken.None);
        var pending = payloads.Select(p => client.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = p, QualityOfService = MqttQualityOfService.AtLeastOnce }, CancellationToken.None)).ToList();
        await Task.WhenAll(pending);
        await client.DisconnectAsync(CancellationToken.None);
    }

    /// <summary>Readings per second when InfluxDB is handed the same points ready-made, in Ingest's batch size.</summary>
    private static async Task<(double OneAtATime, double Parallel, double ParallelCpuMicroseconds)> RawInfluxAsync(InfluxServer influx, byte[][] payloads, int writesInFlight)
    {
        var folder = RepositoryPaths.NewScratchDirectory("bench-ingest");
        var files = new List<string>();
        var builder = new PointBatchBuilder(5_000, 1 << 20);
        var point = new Point("_");
        long readings = 0;
        void Flush()
        {
            using var batch = builder.TakeBatch();
            var file = Path.Combine(folder, $"{files.Count}.lp");
            File.WriteAllBytes(file, batch.Body.ToArray());
            files.Add(file);
        }

        foreach (var payload in payloads)
        {
            var batch = JsonSerializer.Deserialize(payload, ContractsJson.Default.ReadingBatch)!;
            foreach (var reading in batch.Readings)
            {
                builder.Add(point.Reset("high_mast").Tag("site", batch.Site).Tag("gateway", batch.Gateway).Tag("device", reading.Device)
                    .Field("lamps_lit", reading.Values!["lamps_lit"].AsInteger()).Field("voltage_v", reading.Values["voltage_v"].AsDouble()).Timestamp(reading.Ts));
                readings++;
            }

            builder.Add(point.Reset("batches").Tag("site", batch.Site).Tag("gateway", batch.Gateway).Field("seq", batch.Seq).Field("readings", (long)batch.Readings.Count).Timestamp(batch.Sent));
            if (builder.IsFull)
            {
                Flush();
            }
        }

        if (!builder.IsEmpty)
        {
            Flush();
        }

        builder.Dispose();
        using var http = new HttpClient();
        async Task<double> PostAllAsync(string database, int parallel)
        {
            using var create = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", $"CREATE DATABASE {database}")]);
            (await http.PostAsync(new Uri(influx.Url, "query"), create)).EnsureSuccessStatusCode();
            var url = new Uri(influx.Url, $"write?db={database}&precision=ms").ToString();
            IEnumerable<string> options = parallel > 1 ? ["--parallel", "--parallel-max", parallel.ToString(CultureInfo.InvariantCulture)] : [];
            var arguments = options.Concat(files.SelectMany((f, i) => (i == 0 ? Array.Empty<string>() : ["--next"]).Concat(["-sf", "-o", "/dev/null", "--data-binary", "@" + f, url]))).ToList();
            var started = Stopwatch.GetTimestamp();
            (await ExternalCommand.RunAsync("curl", arguments, TimeSpan.FromMinutes(10))).EnsureSuccess("curl");
            return readings / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        // Each into a database of its own, so neither finds the series the other made.
        var oneAtATime = await PostAllAsync("raw_one", 1);
        var cpuBefore = ProcessCpu.Used(influx.ProcessId);
        var inParallel = await PostAllAsync("raw_parallel", writesInFlight);
        var cpu = ProcessCpu.MicrosecondsPer(cpuBefore, ProcessCpu.Used(influx.ProcessId), readings);
        Directory.Delete(folder, recursive: true);
        return (oneAtATime, inParallel, cpu);
    }
}
