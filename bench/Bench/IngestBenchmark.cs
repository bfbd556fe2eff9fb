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
/// (a) the broker carrying the same messages to a plain subscriber and (b) InfluxDB taking the same points raw; and the
/// same end to end over the broker's TLS listener, publisher and Ingest each with its password and client certificate
/// as the stack gives them, against the plain loopback rounds of the same run.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task RunAsync(int batches, int readingsPerBatch)
    {
        var readings = (long)batches * readingsPerBatch;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_INGEST_ROUNDS"), CultureInfo.InvariantCulture, out var r) && r > 0 ? r : 3;
        Console.WriteLine($"Ingest end to end: {batches:N0} batches of {readingsPerBatch} readings ({readings:N0} readings), {rounds} rounds");
        await using var broker = await MosquittoServer.StartAsync(new MosquittoOptions { Tls = true, RequireCertificate = true });
        var publisher = broker.ClientOptions(MosquittoServer.Harness);
        var tlsPublisher = await broker.TlsClientOptionsAsync(MosquittoServer.Harness);
        var placement = CorePlacement.ForThisMachine(Environment.GetEnvironmentVariable("BENCH_INGEST_PLACEMENT") == "shared");
        if (placement is not null)
        {
            await placement.PinRestAsync(broker.ProcessId);
            await placement.PinRestAsync(Environment.ProcessId);
        }

        Console.WriteLine($"  {placement?.ToString() ?? $"all processes sharing the machine's {Environment.ProcessorCount} cores"}");
        var stream = new GatewayStream(broker, "gw-bench", readingsPerBatch);
        var payloads = Enumerable.Range(0, batches).Select(i => stream.Payload(i)).ToArray();
        var warmUp = new GatewayStream(broker, "gw-warm-up", readingsPerBatch);
        var warmUpPayloads = Enumerable.Range(0, batches).Select(i => warmUp.Payload(i)).ToArray();

        // Ingest and the raw writer get the same number of writes in flight (Ingest's default unless told otherwise).
        var writesInFlight = int.TryParse(Environment.GetEnvironmentVariable("BENCH_INGEST_WRITES"), CultureInfo.InvariantCulture, out var w) ? w : 3;
        var settings = new Dictionary<string, string>
        {
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "ingest",
            ["Mqtt:Password"] = broker.Credentials("ingest").Password,
            ["Serilog:MinimumLevel:Default"] = "Warning",
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

        var tlsSettings = new Dictionary<string, string>(settings);
        tlsSettings.Remove("Mqtt:Password");
        foreach (var (key, value) in await broker.TlsServiceSettingsAsync("ingest"))
        {
            tlsSettings[key] = value;
        }

        var brokerRate = await BrokerAsync(broker, publisher, stream.Topic, payloads) * readingsPerBatch;
        Figures.Rate("(a) broker: our publisher -> Mosquitto -> mosquitto_sub", brokerRate, "readings");

        // InfluxDB's own rate varies from one start to the next by a third on this kind of machine, so each round
        // measures it afresh next to the pipeline, every measurement on a fresh server (so that none pays for
        // another's compactions), and the medians are compared.
        using var raw = new RawWrites(placement, warmUpPayloads, payloads, writesInFlight);
        var limits = new List<double>();
        var endToEnds = new List<EndToEnd>();
        var overTls = new List<EndToEnd>();
        for (var round = 1; round <= rounds; round++)
        {
            var (oneAtATime, inParallel, rawCpu, rawWindow) = await raw.MeasureAsync();
            var limit = Math.Max(oneAtATime, inParallel);
            // Plain and TLS take turns going first, so that neither always meets the database the other just filled.
            Task<EndToEnd> Plain() => EndToEndAsync(broker, publisher, placement, settings, "ingest-bench", warmUp.Topic, warmUpPayloads, stream.Topic, payloads, readings, raw.Points);
            Task<EndToEnd> Tls() => EndToEndAsync(broker, tlsPublisher, placement, tlsSettings, "ingest-bench", warmUp.Topic, warmUpPayloads, stream.Topic, payloads, readings, raw.Points);
            EndToEnd endToEnd, tls;
            if (round % 2 == 1)
            {
                endToEnd = await Plain();
                tls = await Tls();
            }
            else
            {
                tls = await Tls();
                endToEnd = await Plain();
            }

            limits.Add(limit);
            endToEnds.Add(endToEnd);
            overTls.Add(tls);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  round {round}: InfluxDB raw {oneAtATime:N0} one write at a time, {inParallel:N0} with {writesInFlight} at a time ({rawCpu:N1} µs CPU per reading); end to end {endToEnd.Rate:N0} readings/s: {endToEnd.Rate / Math.Min(brokerRate, limit):F2}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"           middle of the stream: raw, {writesInFlight} at a time, {rawWindow.PointsPerSecond:N0} points/s, InfluxDB busy {rawWindow.Busy:P0}; end to end {endToEnd.Window.PointsPerSecond:N0} points/s, busy {endToEnd.Window.Busy:P0}: {endToEnd.Window.PointsPerSecond / rawWindow.PointsPerSecond:F2}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"           over TLS with credentials: end to end {tls.Rate:N0} readings/s, {tls.Rate / endToEnd.Rate:F2} of plain; CPU per reading Ingest {tls.Cpu[0]:N1} µs, Mosquitto {tls.Cpu[2]:N1} µs"));
        }

        var typical = endToEnds.OrderBy(e => e.Rate).ElementAt(endToEnds.Count / 2);
        var influxRate = Figures.Median(limits);
        Figures.Rate("(b) InfluxDB raw, the faster way, median of the rounds", influxRate, "readings");
        Figures.Rate("end to end: publisher -> Mosquitto -> Ingest -> InfluxDB, median", typical.Rate, "readings");
        Figures.Value("Ingest peak held payload", typical.PeakHeldBytes / 1048576.0, "MiB");
        Figures.Value("Ingest working set after the run", typical.WorkingSetBytes / 1048576.0, "MiB");
        Figures.Value("Ingest write time p50 (whole run)", typical.WriteP50, "ms");
        Figures.Value("Ingest write time p99 (whole run)", typical.WriteP99, "ms");
        Figures.Value("Ingest points per write, mean (whole run)", typical.PointsMean, "points");
        Figures.Value("CPU per reading, end to end: Ingest", typical.Cpu[0], "µs");
        Figures.Value("CPU per reading, end to end: InfluxDB", typical.Cpu[1], "µs");
        Figures.Value("CPU per reading, end to end: Mosquitto", typical.Cpu[2], "µs");
        Figures.Value("CPU per reading, end to end: the publisher (this process)", typical.Cpu[3], "µs");
        Figures.Value("cores on this machine", Environment.ProcessorCount, "");
        Figures.Ratio("end to end / min(a, b), medians", typical.Rate / Math.Min(brokerRate, influxRate), 0.8);
        var typicalTls = overTls.OrderBy(e => e.Rate).ElementAt(overTls.Count / 2);
        Figures.Rate("end to end over TLS with credentials, median", typicalTls.Rate, "readings");
        Figures.Value("CPU per reading over TLS: Ingest", typicalTls.Cpu[0], "µs");
        Figures.Value("CPU per reading over TLS: Mosquitto", typicalTls.Cpu[2], "µs");
        Figures.Ratio("end to end: TLS / plain loopback, medians", typicalTls.Rate / typical.Rate, 0.8);
    }

    private static async Task<InfluxServer> StartInfluxAsync(CorePlacement? placement)
    {
        var server = await InfluxServer.StartAsync();
        if (placement is not null)
        {
            await placement.PinDatabaseAsync(server.ProcessId);
        }

        return server;
    }

    /// <summary>
    /// One end-to-end run on a fresh InfluxDB and a fresh Ingest (in the same broker session as the last round's, so
    /// that the shared subscription has one member, not a departed one that is still sent its share): a warm-up stream as long as the measured one (JIT
    /// compilation, connections, series creation), then the measured stream, timed from its first publish to the
    /// moment Ingest has stored its last reading.
    /// </summary>
    private static async Task<EndToEnd> EndToEndAsync(
        MosquittoServer broker, MqttClientOptions publisher, CorePlacement? placement, Dictionary<string, string> common, string clientId,
        string warmUpTopic, byte[][] warmUpPayloads, string topic, byte[][] payloads, long readings, long points)
    {
        await using var influx = await StartInfluxAsync(placement);
        var settings = new Dictionary<string, string>(common)
        {
            ["Mqtt:ClientId"] = clientId,
            ["Influx:Url"] = influx.Url.ToString(),
            ["DeadLetters:File"] = Path.Combine(influx.Directory, "dead", "ingest-.jsonl"),
            ["Sequences:File"] = Path.Combine(influx.Directory, "sequences", "ingest.json"),
        };
        await using var ingest = await ServiceProcess.StartAsync("Ingest", settings);
        await Eventually.TrueAsync(async () => (await ingest.HealthAsync()).Contains("\"subscribed\": true", StringComparison.Ordinal), "Ingest subscribes");
        await PublishAsync(publisher, warmUpTopic, warmUpPayloads, $"{clientId}-warm-up");
        await Eventually.TrueAsync(async () => StoredReadings(await ingest.HealthAsync()) >= readings, "warm-up stored", TimeSpan.FromMinutes(10));

        int?[] processes = [ingest.ProcessId, influx.ProcessId, broker.ProcessId, Environment.ProcessId];
        await using var progress = await InfluxProgress.StartAsync(influx.Url, influx.ProcessId);
        var cpuBefore = processes.Select(ProcessCpu.Used).ToArray();
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(publisher, topic, payloads, $"{clientId}-stream");
        await Eventually.TrueAsync(async () => StoredReadings(await ingest.HealthAsync()) >= 2 * readings, "every reading stored", TimeSpan.FromMinutes(10));
        var rate = readings / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var window = await progress.StopAsync(points);
        var cpu = processes.Select((p, i) => ProcessCpu.MicrosecondsPer(cpuBefore[i], ProcessCpu.Used(p), readings)).ToArray();
        using var health = JsonDocument.Parse(await ingest.HealthAsync());
        var figures = health.RootElement.GetProperty("ingest");

        // Nothing left unacknowledged for the next round's Ingest, which takes over the same session.
        await Eventually.TrueAsync(async () => HeldMessages(await ingest.HealthAsync()) == 0, "every message acknowledged");
        return new EndToEnd(
            rate,
            window,
            cpu,
            figures.GetProperty("peak_held_bytes").GetInt64(),
            figures.GetProperty("working_set_bytes").GetInt64(),
            figures.GetProperty("write_ms").GetProperty("p50").GetDouble(),
            figures.GetProperty("write_ms").GetProperty("p99").GetDouble(),
            figures.GetProperty("batch_points").GetProperty("sum").GetDouble() / figures.GetProperty("batch_points").GetProperty("count").GetDouble());
    }

    private sealed record EndToEnd(double Rate, InfluxProgress.Window Window, double[] Cpu, long PeakHeldBytes, long WorkingSetBytes, double WriteP50, double WriteP99, double PointsMean);

    private static long HeldMessages(string health)
    {
        using var document = JsonDocument.Parse(health);
        return document.RootElement.GetProperty("ingest").GetProperty("held_messages").GetInt64();
    }

    private static long StoredReadings(string health)
    {
        using var document = JsonDocument.Parse(health);
        return document.RootElement.GetProperty("ingest").GetProperty("readings_stored").GetInt64();
    }

    /// <summary>Messages per second through the broker to a subscriber that does nothing with them.</summary>
    private static async Task<double> BrokerAsync(MosquittoServer broker, MqttClientOptions publisher, string topic, byte[][] payloads)
    {
        await using var subscriber = ExternalCommand.Start(
            "mosquitto_sub",
            [.. broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-t", topic, "-C", payloads.Length.ToString(CultureInfo.InvariantCulture), "-F", "%l"]);
        await Task.Delay(1000);
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(publisher, topic, payloads, "bench-broker");
        await subscriber.Process.WaitForExitAsync();
        return payloads.Length / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task PublishAsync(MqttClientOptions publisher, string topic, byte[][] payloads, string clientId)
    {
        await using var client = new MqttClient(publisher with { ClientId = clientId });
        await client.ConnectAsync(CancellationToken.None);
        var pending = payloads.Select(p => client.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = p, QualityOfService = MqttQualityOfService.AtLeastOnce }, CancellationToken.None)).ToList();
        await Task.WhenAll(pending);
        await client.DisconnectAsync(CancellationToken.None);
    }

    /// <summary>
    /// InfluxDB handed the same points ready-made, in Ingest's batch size, by curl: after the same warm-up points, so
    /// that it holds what it holds when Ingest's stream is measured; one write at a time, and as many at a time as
    /// Ingest has in flight.
    /// </summary>
    private sealed class RawWrites : IDisposable
    {
        private readonly string _folder;
        private readonly CorePlacement? _placement;
        private readonly List<string> _warmUpFiles;
        private readonly List<string> _files;
        private readonly long _readings;
        private readonly int _writesInFlight;

        public RawWrites(CorePlacement? placement, byte[][] warmUpPayloads, byte[][] payloads, int writesInFlight)
        {
            _folder = RepositoryPaths.NewScratchDirectory("bench-ingest");
            _placement = placement;
            (_warmUpFiles, _, _) = LineProtocolFiles(warmUpPayloads, Path.Combine(_folder, "warm-up"));
            (_files, _readings, Points) = LineProtocolFiles(payloads, Path.Combine(_folder, "measured"));
            _writesInFlight = writesInFlight;
        }

        /// <summary>The points the measured stream makes, readings and batch records, as Ingest writes them.</summary>
        public long Points { get; }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        /// <summary>Readings per second one write at a time and with the writes in flight, and the CPU InfluxDB spent per reading on the latter.</summary>
        public async Task<(double OneAtATime, double Parallel, double ParallelCpuMicroseconds, InfluxProgress.Window ParallelWindow)> MeasureAsync()
        {
            var (oneAtATime, _, _) = await MeasureAsync(1);
            var (inParallel, cpu, window) = await MeasureAsync(_writesInFlight);
            return (oneAtATime, inParallel, cpu, window);
        }

        private async Task<(double Rate, double CpuMicroseconds, InfluxProgress.Window Window)> MeasureAsync(int parallel)
        {
            await using var influx = await StartInfluxAsync(_placement);
            using var http = new HttpClient();
            using var create = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", "CREATE DATABASE raw")]);
            (await http.PostAsync(new Uri(influx.Url, "query"), create)).EnsureSuccessStatusCode();
            await PostAllAsync(influx, _warmUpFiles, parallel);
            await using var progress = await InfluxProgress.StartAsync(influx.Url, influx.ProcessId);
            var cpuBefore = ProcessCpu.Used(influx.ProcessId);
            var started = Stopwatch.GetTimestamp();
            await PostAllAsync(influx, _files, parallel);
            var rate = _readings / Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = ProcessCpu.MicrosecondsPer(cpuBefore, ProcessCpu.Used(influx.ProcessId), _readings);
            return (rate, cpu, await progress.StopAsync(Points));
        }

        private static async Task PostAllAsync(InfluxServer influx, IReadOnlyList<string> bodies, int parallel)
        {
            var url = new Uri(influx.Url, "write?db=raw&precision=ms").ToString();
            IEnumerable<string> options = parallel > 1 ? ["--parallel", "--parallel-max", parallel.ToString(CultureInfo.InvariantCulture)] : [];
            var arguments = options.Concat(bodies.SelectMany((f, i) => (i == 0 ? Array.Empty<string>() : ["--next"]).Concat(["-sf", "-o", "/dev/null", "--data-binary", "@" + f, url]))).ToList();
            (await ExternalCommand.RunAsync("curl", arguments, TimeSpan.FromMinutes(10))).EnsureSuccess("curl");
        }
    }

    /// <summary>The points Ingest makes of these payloads, as line protocol files of Ingest's batch size, how many readings they hold and how many points.</summary>
    private static (List<string> Files, long Readings, long Points) LineProtocolFiles(byte[][] payloads, string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        using var builder = new PointBatchBuilder(5_000, 1 << 20);
        var point = new Point("_");
        long readings = 0, points = 0;
        void Flush()
        {
            using var batch = builder.TakeBatch();
            var file = Path.Combine(folder, $"{files.Count}.lp");
            File.WriteAllBytes(file, batch.Body.ToArray());
            files.Add(file);
            points += batch.PointCount;
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

        return (files, readings, points);
    }
}
