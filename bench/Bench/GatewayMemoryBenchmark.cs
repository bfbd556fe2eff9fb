using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// Resident memory of the real gateway process (Release build) polling 200 simulated devices: four Modbus TCP
/// links of 45 devices (street controllers, distribution boxes, light/time controllers) and one RS-485 bus of 20
/// (high masts, emergency batteries, light/time controllers, boxes), publishing to a real Mosquitto with a
/// consumer on the telemetry. VmRSS and VmHWM are read from /proc/{pid}/status once a second after a warm-up.
/// The gateway is measured as it ships, compiled to native code (<c>scripts/build gateway</c>). The limit measured in
/// the same run is the same gateway polling one device: what the runtime, the host and our libraries cost before
/// the plant adds anything. The managed build polling the 200 devices is measured too, for comparison.
/// </summary>
internal static class GatewayMemoryBenchmark
{
    private const double TargetMiB = 80;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(int seconds)
    {
        Console.WriteLine($"Gateway resident memory: 200 devices (180 on 4 Modbus TCP links, 20 on one RS-485 bus), {seconds} s after a {WarmUp.TotalSeconds:F0} s warm-up, sampled every second");
        (await ExternalCommand.RunAsync("dotnet", ["build", Path.Combine(RepositoryPaths.Root, "src", "Gateway", "Gateway.csproj"), "-c", "Release", "-nologo", "-clp:ErrorsOnly"], TimeSpan.FromMinutes(10)))
            .EnsureSuccess("building the gateway");

        await using var broker = await MosquittoServer.StartAsync();
        await using var consumer = ExternalCommand.Start(
            "mosquitto_sub",
            [.. broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-t", "$share/bench/lighting/+/+/telemetry", "-t", "$share/bench/lighting/+/+/event", "-F", "%l"]);

        var native = Path.Combine(RepositoryPaths.Root, "artifacts", "gateway", "Telemetry.Gateway");
        if (!File.Exists(native))
        {
            throw new FileNotFoundException($"{native} is not published; run scripts/build gateway", native);
        }

        var plant = await MeasureAsync(broker, Plant(tcpLinks: 4, devicesPerLink: 45, busDevices: 20), seconds, "bench-200", native);
        var floor = await MeasureAsync(broker, Plant(tcpLinks: 1, devicesPerLink: 1, busDevices: 0), seconds / 2, "bench-1", native);
        var managed = await MeasureAsync(broker, Plant(tcpLinks: 4, devicesPerLink: 45, busDevices: 20), seconds / 2, "bench-200-managed", executable: null);

        Figures.Value("200 devices: peak resident (VmHWM)", plant.PeakMiB, "MiB");
        Figures.Value("200 devices: steady resident (median VmRSS, 2nd half)", plant.SteadyMiB, "MiB");
        Figures.Value("200 devices: readings made", plant.Readings, "");
        Figures.Value("limit: the same gateway with 1 device, peak (VmHWM)", floor.PeakMiB, "MiB");
        Figures.Value("limit: the same gateway with 1 device, steady", floor.SteadyMiB, "MiB");
        Figures.Value("for comparison: the managed (JIT) build with 200 devices, peak", managed.PeakMiB, "MiB");
        Figures.Ratio("peak / 80 MiB target", plant.PeakMiB / TargetMiB, 1.0, higherIsBetter: false);
        Figures.Ratio("steady / 80 MiB target", plant.SteadyMiB / TargetMiB, 1.0, higherIsBetter: false);
        Figures.Value("what 200 devices add to the 1-device gateway (steady)", plant.SteadyMiB - floor.SteadyMiB, "MiB");
    }

    private sealed record Measurement(double PeakMiB, double SteadyMiB, long Readings);

    private static async Task<Measurement> MeasureAsync(MosquittoServer broker, Func<int[], string?, JsonObject> plant, int seconds, string name, string? executable)
    {
        var folder = RepositoryPaths.NewScratchDirectory(name);
        try
        {
            var ports = Enumerable.Range(0, 4).Select(_ => FreePort.Next()).ToArray();
            await using var bus = await PseudoTerminalPair.StartAsync(Path.Combine(folder, "bus-gw"), Path.Combine(folder, "bus-sim"));
            var site = plant(ports, bus.A);
            var siteFile = Path.Combine(folder, "site.json");
            await File.WriteAllTextAsync(siteFile, site.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            var simulator = new Dictionary<string, string>
            {
                ["Simulator:Profiles"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                ["Simulator:WireTiming"] = "true",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            };
            if (site.ToJsonString().Contains("\"bus-1\"", StringComparison.Ordinal))
            {
                simulator["Simulator:Serial:bus-1"] = bus.B;
            }

            for (var i = 0; i < ports.Length; i++)
            {
                simulator[$"Simulator:Tcp:tcp-{i + 1}"] = ports[i].ToString(CultureInfo.InvariantCulture);
            }

            await using var simulation = await SimulatorProcess.StartAsync(siteFile, simulator);
            await using var gateway = await ServiceProcess.StartAsync("Gateway", new Dictionary<string, string>
            {
                ["Gateway:SiteFile"] = siteFile,
                ["Gateway:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                ["Gateway:StateDirectory"] = Path.Combine(folder, "state"),
                ["Gateway:Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),

                // The bench's plants are made after the broker starts, so none is among its site files: the harness logs in.
                ["Gateway:Mqtt:Username"] = MosquittoServer.Harness,
                ["Gateway:Mqtt:Password"] = broker.Credentials(MosquittoServer.Harness).Password,
            }, executable);
            var pid = gateway.ProcessId ?? throw new InvalidOperationException("the gateway has no process id");

            await Task.Delay(WarmUp);
            var resident = new List<double>();
            double peak = 0;
            for (var second = 0; second < seconds; second++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                if (!gateway.IsRunning)
                {
                    throw new InvalidOperationException($"the gateway stopped: {gateway.Output}");
                }

                var (rss, hwm) = Status(pid);
                resident.Add(rss);
                peak = Math.Max(peak, hwm);
            }

            using var health = JsonDocument.Parse(await gateway.HealthAsync());
            var readings = health.RootElement.GetProperty("gateway").GetProperty("readings_good").GetInt64()
                + health.RootElement.GetProperty("gateway").GetProperty("readings_error").GetInt64();
            var errors = health.RootElement.GetProperty("gateway").GetProperty("readings_error").GetInt64();
            if (errors > 0)
            {
                Console.WriteLine($"  ({name}: {errors} error readings)");
            }

            return new Measurement(peak, Figures.Median(resident.Skip(resident.Count / 2)), readings);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>VmRSS and VmHWM of the process, in MiB.</summary>
    private static (double Rss, double Hwm) Status(int pid)
    {
        double rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line) / 1024.0;
            }
        }

        return (rss, hwm);

        static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A site of <paramref name="tcpLinks"/> TCP links and one RS-485 bus, for the given TCP ports and bus path.</summary>
    private static Func<int[], string?, JsonObject> Plant(int tcpLinks, int devicesPerLink, int busDevices) => (ports, busPath) =>
    {
        // Street controllers on two of the links, boxes and light/time controllers on the others, as cabinets are wired.
        (string Profile, string Family, int? Lamps)[][] tcpModels =
        [
            [("hg-lcu2", "street_controller", 24), ("mg-slc4", "street_controller", 32)],
            [("ak-dbm300", "distribution_box", null), ("sk-ltc4", "light_time_controller", null)],
        ];
        (string Profile, string Family, int? Lamps)[] busModels =
        [
            ("jg-hmc24", "high_mast", 16), ("yd-eps1k", "emergency_battery", null), ("kg-316m", "light_time_controller", null), ("ak-dbm300", "distribution_box", null),
        ];

        var links = new JsonArray();
        var devices = new JsonArray();
        for (var link = 0; link < tcpLinks; link++)
        {
            links.Add(new JsonObject { ["id"] = $"tcp-{link + 1}", ["tcp"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = ports[link], ["response_timeout_ms"] = 1000 } });
            for (var unit = 1; unit <= devicesPerLink; unit++)
            {
                var model = tcpModels[link % 2][unit % 2];
                devices.Add(Device($"l{link + 1}-{unit:D3}", model, $"tcp-{link + 1}", unit, pollSeconds: 5));
            }
        }

        if (busDevices > 0)
        {
            links.Add(new JsonObject
            {
                ["id"] = "bus-1",
                ["rtu"] = new JsonObject { ["device"] = busPath, ["baud"] = 19200, ["parity"] = "none", ["data_bits"] = 8, ["stop_bits"] = 1, ["response_timeout_ms"] = 300, ["byte_timeout_ms"] = 100 },
            });
            for (var unit = 1; unit <= busDevices; unit++)
            {
                devices.Add(Device($"bus-{unit:D2}", busModels[unit % busModels.Length], "bus-1", unit, pollSeconds: 15));
            }
        }

        return new JsonObject
        {
            ["site"] = "bench",
            ["name"] = "Gateway memory benchmark",
            ["latitude"] = 31.2304,
            ["longitude"] = 121.4737,
            ["time_zone"] = "Asia/Shanghai",
            ["gateways"] = new JsonArray { new JsonObject { ["id"] = "gw-bench", ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 1883 }, ["links"] = links, ["devices"] = devices } },
        };
    };

    private static JsonObject Device(string id, (string Profile, string Family, int? Lamps) model, string link, int unit, int pollSeconds)
    {
        var device = new JsonObject
        {
            ["id"] = id,
            ["family"] = model.Family,
            ["profile"] = model.Profile,
            ["link"] = link,
            ["unit"] = unit,
            ["poll_interval_s"] = pollSeconds,
            ["crew_zone"] = "inner",
        };
        if (model.Lamps is { } lamps)
        {
            device["lamps_installed"] = lamps;
        }

        return device;
    }
}
