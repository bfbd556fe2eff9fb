using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Mqtt;
using Telemetry.Rules.Evaluation;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// The rule engine judging the whole catalogue in-process, against decoding the same batches from JSON (which
/// Rules must do for every message, so the engine is not the limit while it is faster); and reading-to-alert
/// latency through the running pipeline under a background load, against the broker's own transit time.
/// </summary>
internal static class RulesBenchmark
{
    internal const string Site = "bench";
    internal const string Gateway = "gw-bench";
    private static readonly string[] Families = ["high_mast", "street_controller", "distribution_box", "emergency_battery", "light_time_controller"];

    public static async Task RunAsync(int devices, int rounds, int probes)
    {
        Console.WriteLine($"Rules in-process: {devices:N0} devices of all five families, {rounds} rounds of readings");
        InProcess(devices, rounds);
        Console.WriteLine();
        Console.WriteLine($"Rules end to end: reading -> Mosquitto -> Rules -> ticket -> alert, {probes} faults under 5,000 readings/s of background load");
        await EndToEndAsync(probes);
    }

    /// <summary>The in-process part alone: the engine against JSON decoding.</summary>
    public static void RunInProcess(int devices, int rounds)
    {
        Console.WriteLine($"Rules in-process: {devices:N0} devices of all five families, {rounds} rounds of readings");
        InProcess(devices, rounds);
    }

    private static void InProcess(int deviceCount, int rounds)
    {
        var directory = Path.Combine(Path.GetTempPath(), "telemetry-bench-rules-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        var siteFile = Path.Combine(directory, "site.json");
        File.WriteAllText(siteFile, SiteJson(deviceCount, boxesOnly: false));
        var profiles = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"));
        var site = SiteLoader.LoadFile(siteFile, profiles);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var templates = site.Gateways[0].Devices.SelectMany(Readings).ToArray();
        const int batchSize = 100;

        // Every round's batches are made before the clock starts: what is timed is the engine alone.
        var start = clock.Now;
        var batches = Enumerable.Range(0, rounds + 1)
            .Select(round => Round(templates, batchSize, start + TimeSpan.FromSeconds(10 * round)))
            .ToArray();
        var output = new List<FaultTransition>();
        var transitions = 0;

        // Passes of a fresh engine over the same readings; the first warms up the JIT. One pass is a fraction of a
        // second, so the figure is the median pass, not one that a collection, a tier-up or a neighbour on a shared
        // machine happened to fall in; the best pass is printed too, the least disturbed.
        const int Passes = 15;
        var rates = new List<double>();
        long judged = 0;
        for (var pass = 0; pass <= Passes; pass++)
        {
            clock.Now = start;
            var engine = new RuleEngine(new PlantDirectory([site]), () => RuleSet.Default.Thresholds.Defaults, clock);

            // The first round creates the per-device state.
            foreach (var batch in batches[0])
            {
                engine.OnReadings(Site, Gateway, batch, output);
            }

            output.Clear();
            judged = 0;
            var started = Stopwatch.GetTimestamp();
            for (var round = 1; round <= rounds; round++)
            {
                clock.Now = batches[round][0].Sent;
                foreach (var batch in batches[round])
                {
                    engine.OnReadings(Site, Gateway, batch, output);
                    judged += batch.Readings.Count;
                }

                transitions += output.Count;
                output.Clear();
            }

            if (pass > 0)
            {
                rates.Add(judged / Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }

        rates.Sort();
        var engineRate = rates[rates.Count / 2];

        // The same readings as JSON batches, decoded as Rules decodes every message.
        var payloads = batches[^1].Select(b => JsonSerializer.SerializeToUtf8Bytes(b, ContractsJson.Default.ReadingBatch)).ToArray();
        long decoded = 0;
        var decodeStarted = Stopwatch.GetTimestamp();
        for (var round = 0; round < Math.Max(1, rounds / 4); round++)
        {
            foreach (var payload in payloads)
            {
                decoded += JsonSerializer.Deserialize(payload, ContractsJson.Default.ReadingBatch)!.Readings.Count;
            }
        }

        var decodeRate = decoded / Stopwatch.GetElapsedTime(decodeStarted).TotalSeconds;
        Figures.Rate("rule engine, whole catalogue", engineRate, "readings");
        Figures.Rate("rule engine, best pass", rates[^1], "readings");
        Figures.Rate("limit: decoding the same batches from JSON", decodeRate, "readings");
        Figures.Value("fault transitions in the measured rounds (healthy plant)", transitions, "");
        Figures.Ratio("engine / 500,000 readings/s target", engineRate / 500_000, 1.0);
        Figures.Ratio("engine / JSON decoding", engineRate / decodeRate, 1.0);
    }

    private static ReadingBatch[] Round(Reading[] templates, int batchSize, DateTimeOffset now) =>
        [.. templates.Chunk(batchSize).Select((chunk, i) => new ReadingBatch
        {
            Gateway = Gateway,
            Site = Site,
            Seq = i,
            Sent = now,
            Readings = [.. chunk.Select(r => r.Family == DeviceFamily.LightTimeController
                ? r with { Ts = now, Values = new Dictionary<string, ReadingValue>(r.Values!, StringComparer.Ordinal) { ["clock_unix_s"] = now.ToUnixTimeSeconds() } }
                : r with { Ts = now })],
        })];

    private static async Task EndToEndAsync(int probes)
    {
        var boxes = probes + 50;
        await using var broker = await MosquittoServer.StartAsync();
        var directory = Path.Combine(broker.Directory, "rules");
        Directory.CreateDirectory(directory);
        var siteFile = Path.Combine(directory, "site.json");
        await File.WriteAllTextAsync(siteFile, SiteJson(boxes, boxesOnly: true));
        var database = Path.Combine(directory, "maintenance.db");

        // One reading past the limit opens the ticket: the latency is the pipeline's, not the debounce's.
        var store = new SqliteThresholdStore(new SqliteDatabase(database), RuleSet.Default.Thresholds, TimeProvider.System, NullLogger<SqliteThresholdStore>.Instance);
        await store.ApplyAsync(ThresholdChange.Set(Telemetry.Rules.Catalogue.InsulationBelowLimit.DebounceReadings, ThresholdScope.Global, 1, "bench", "latency of the pipeline, not of the debounce"), CancellationToken.None);

        await using var rules = await ServiceProcess.StartAsync("Rules", new Dictionary<string, string>
        {
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "rules",
            ["Mqtt:Password"] = broker.Credentials("rules").Password,
            ["Mqtt:ClientId"] = "rules-bench",
            ["Rules:SiteFiles:0"] = siteFile,
            ["Rules:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
            ["Rules:Database"] = database,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        await Eventually.TrueAsync(async () => (await rules.HealthAsync()).Contains("\"status\": \"healthy\"", StringComparison.Ordinal), "Rules subscribes");

        await using var client = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "bench-rules-probe", ReceiveMaximum = 1000, MessageQueueCapacity = 100_000 });
        await client.ConnectAsync(CancellationToken.None);
        var topic = $"lighting/{Site}/{Gateway}/telemetry";
        await client.SubscribeAsync([new MqttSubscription { TopicFilter = "lighting/alerts/#" }, new MqttSubscription { TopicFilter = topic }], CancellationToken.None);
        var transit = new List<double>();
        var alerts = new List<double>();
        var sentAt = new Dictionary<string, long>(StringComparer.Ordinal);
        var probeSeqs = new Dictionary<long, string>();
        var receiving = Task.Run(async () =>
        {
            await foreach (var message in client.Messages.ReadAllAsync())
            {
                var now = Stopwatch.GetTimestamp();
                if (message.Message.Topic == topic)
                {
                    var seq = JsonDocument.Parse(message.Message.Payload).RootElement.GetProperty("seq").GetInt64();
                    lock (sentAt)
                    {
                        if (probeSeqs.TryGetValue(seq, out var device))
                        {
                            transit.Add(Stopwatch.GetElapsedTime(sentAt[device], now).TotalMilliseconds);
                        }
                    }
                }
                else
                {
                    var text = Encoding.UTF8.GetString(message.Message.Payload.Span);
                    lock (sentAt)
                    {
                        foreach (var (device, at) in sentAt.Where(s => text.Contains($"/{s.Key}\"", StringComparison.Ordinal)).ToList())
                        {
                            alerts.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                            sentAt.Remove(device);
                        }
                    }
                }
            }
        });

        // 5,000 readings/s: 50 batches a second of 100 healthy readings.
        using var stop = new CancellationTokenSource();
        long seqCounter = 0;
        var background = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            var next = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    // The background boxes are not the probes: a device's readings come in order from its one gateway.
                var readings = Enumerable.Range(0, 100).Select(_ => BoxReading($"box-{probes + (next++ % (boxes - probes)) + 1:D4}", 80, DateTimeOffset.UtcNow)).ToArray();
                    await PublishAsync(client, topic, Interlocked.Increment(ref seqCounter), readings);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 0; i < probes; i++)
        {
            var device = $"box-{i + 1:D4}";
            var seq = Interlocked.Increment(ref seqCounter);
            lock (sentAt)
            {
                sentAt[device] = Stopwatch.GetTimestamp();
                probeSeqs[seq] = device;
            }

            await PublishAsync(client, topic, seq, [BoxReading(device, 0.1, DateTimeOffset.UtcNow)]);
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        await Eventually.TrueAsync(() => Task.FromResult(alerts.Count >= probes), "every probe alerted", TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await background;
        using var health = JsonDocument.Parse(await rules.HealthAsync());
        var judged = health.RootElement.GetProperty("rules").GetProperty("readings").GetInt64();

        var p50 = Percentile(alerts, 0.50);
        var p99 = Percentile(alerts, 0.99);
        Figures.Value("readings judged by Rules during the run", judged, "");
        Figures.Value("limit: broker transit of the probe batch, p50", Percentile(transit, 0.50), "ms");
        Figures.Value("limit: broker transit of the probe batch, p99", Percentile(transit, 0.99), "ms");
        Figures.Value("reading -> alert on lighting/alerts, p50", p50, "ms");
        Figures.Value("reading -> alert on lighting/alerts, p99", p99, "ms");
        Figures.Ratio("p99 / 1,000 ms target", p99 / 1000, 1.0, higherIsBetter: false);
    }

    private static double Percentile(List<double> values, double p)
    {
        lock (values)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = values.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    private static Task PublishAsync(MqttClient client, string topic, long seq, Reading[] readings) =>
        client.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = topic,
                Payload = JsonSerializer.SerializeToUtf8Bytes(
                    new ReadingBatch { Gateway = Gateway, Site = Site, Seq = seq, Sent = DateTimeOffset.UtcNow, Readings = readings },
                    ContractsJson.Default.ReadingBatch),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
            },
            CancellationToken.None);

    private static Reading BoxReading(string device, double insulation, DateTimeOffset ts) => new()
    {
        Device = device,
        Family = DeviceFamily.DistributionBox,
        Ts = ts,
        Values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["insulation_mohm"] = insulation,
            ["residual_current_ma"] = 4.0,
            ["earth_resistance_ohm"] = 2.1,
            ["door_open"] = false,
            ["supply_present"] = true,
            ["voltage_l1_v"] = 229.5,
        },
    };

    /// <summary>Healthy readings of a device as its gateway sends them: one per circuit for street controllers.</summary>
    internal static IEnumerable<Reading> Readings(SiteDevice device)
    {
        var ts = DateTimeOffset.UnixEpoch;
        switch (device.Family)
        {
            case DeviceFamily.HighMast:
                yield return Reading(device, null, new()
                {
                    ["commanded_on"] = true, ["supply_present"] = true, ["door_open"] = false, ["lamps_installed"] = 12, ["lamps_lit"] = 12,
                    ["current_a"] = 18.0, ["voltage_v"] = 230.1, ["power_kw"] = 3.8, ["energy_kwh"] = 1200.5,
                });
                break;
            case DeviceFamily.StreetController:
                foreach (var circuit in new[] { "1", "2" })
                {
                    yield return Reading(device, circuit, new()
                    {
                        ["commanded_on"] = true, ["contactor_closed"] = true, ["supply_present"] = true, ["door_open"] = false, ["manual_override"] = false,
                        ["lamps_installed"] = 20, ["lamps_lit"] = 20, ["current_l1_a"] = 6.3, ["current_l2_a"] = 6.2, ["current_l3_a"] = 6.4,
                        ["voltage_l1_v"] = 229.8, ["voltage_l2_v"] = 230.2, ["voltage_l3_v"] = 231.0, ["power_kw"] = 4.1,
                    });
                }

                break;
            case DeviceFamily.DistributionBox:
                yield return BoxReading(device.Id, 80, ts);
                break;
            case DeviceFamily.EmergencyBattery:
                yield return Reading(device, null, new()
                {
                    ["mains_present"] = true, ["battery_voltage_v"] = 27.1, ["test_state"] = 0, ["charge_state"] = 3, ["rated_duration_min"] = 90, ["on_battery"] = false,
                });
                break;
            default:
                yield return Reading(device, null, new()
                {
                    ["output_on"] = true, ["ambient_lux"] = 2.0, ["clock_unix_s"] = 0L, ["on_time_min"] = 1080, ["off_time_min"] = 390,
                });
                break;
        }
    }

    private static Reading Reading(SiteDevice device, string? circuit, Dictionary<string, ReadingValue> values) => new()
    {
        Device = device.Id,
        Family = device.Family,
        Ts = DateTimeOffset.UnixEpoch,
        Circuit = circuit,
        Values = values,
    };

    /// <summary>A plant of <paramref name="devices"/> devices on one gateway; with locations on a grid about the site's centre (for plans).</summary>
    internal static string SiteJson(int devices, bool boxesOnly, bool withLocations = false)
    {
        string[] profiles = ["jg-hmc24", "mg-slc4", "ak-dbm300", "yd-eps1k", "sk-ltc4"];
        var list = new JsonArray();
        for (var i = 0; i < devices; i++)
        {
            var kind = boxesOnly ? 2 : i % 5;
            var id = boxesOnly ? $"box-{i + 1:D4}" : $"{Families[kind].Replace('_', '-')}-{i + 1:D4}";
            var onBus = kind is 0 or 3;
            var device = new JsonObject
            {
                ["id"] = id,
                ["family"] = Families[kind],
                ["profile"] = profiles[kind],
                ["link"] = onBus ? $"bus-{(i / 240) + 1}" : $"tcp-{(i / 240) + 1}",
                ["unit"] = (i % 240) + 1,
                ["poll_interval_s"] = 10,
                ["crew_zone"] = "inner",
                ["crew"] = "crew-bench",
            };
            if (withLocations)
            {
                var side = (int)Math.Ceiling(Math.Sqrt(devices));
                device["location"] = new JsonObject { ["lat"] = Math.Round(31.2104 + (0.0009 * (i / side)), 6), ["lon"] = Math.Round(121.4537 + (0.001 * (i % side)), 6) };
            }

            if (kind == 0)
            {
                device["lamps_installed"] = 12;
            }
            else if (kind == 1)
            {
                device["circuits"] = new JsonArray { new JsonObject { ["circuit"] = 1, ["lamps_installed"] = 20 }, new JsonObject { ["circuit"] = 2, ["lamps_installed"] = 20 } };
            }

            list.Add(device);
        }

        var links = new JsonArray();
        var tcpLinks = (devices / 240) + 1;
        for (var l = 0; l < tcpLinks; l++)
        {
            links.Add(new JsonObject { ["id"] = $"tcp-{l + 1}", ["tcp"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 15020 + l } });
        }

        for (var b = 0; b <= devices / 240; b++)
        {
            links.Add(new JsonObject { ["id"] = $"bus-{b + 1}", ["rtu"] = new JsonObject { ["device"] = $"/dev/ttyBENCH{b}", ["baud"] = 9600 } });
        }

        var site = new JsonObject
        {
            ["site"] = Site,
            ["name"] = "Rules benchmark plant",
            ["latitude"] = 31.2304,
            ["longitude"] = 121.4737,
            ["time_zone"] = "Asia/Shanghai",
            ["gateways"] = new JsonArray { new JsonObject { ["id"] = Gateway, ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 1883 }, ["links"] = links, ["devices"] = list } },
        };
        return site.ToJsonString();
    }

    /// <summary>Time the benchmark moves by hand, so every round of readings is ten seconds after the last.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
