using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// The Api as it runs, over a year of tickets: a filtered, paged ticket list and a ticket action, each at a steady
/// request rate from <c>wrk</c> (a load generator nobody here wrote), against the same rate of <c>/healthz</c> in the
/// same run: the floor of the host, the HTTP stack and the load generator, with no database and no authorisation.
/// </summary>
internal static class ApiBenchmark
{
    private const int Sites = 20;
    private const int Crews = 10;
    private const int Threads = 2;
    private const int Connections = 8;
    private static readonly FaultType[] Faults =
        [FaultType.SingleLampsDark, FaultType.MastOutage, FaultType.TotalDark, FaultType.LowInsulation, FaultType.DeviceSilent, FaultType.FailedDischarge, FaultType.DoorOpen, FaultType.DayBurning];

    public static async Task RunAsync(int tickets, int rate, int seconds)
    {
        Console.WriteLine($"Api: {tickets:N0} tickets in the store; wrk at {rate} requests/s for {seconds} s per request kind, {Threads} threads, {Connections} connections");
        var directory = Directory.CreateTempSubdirectory("telemetry-bench-api-").FullName;
        try
        {
            var database = Path.Combine(directory, "maintenance.db");
            var watch = Stopwatch.StartNew();
            var open = await SeedAsync(database, tickets);
            Figures.Rate($"tickets stored through the ticket store ({watch.Elapsed.TotalSeconds:F0} s)", tickets / watch.Elapsed.TotalSeconds, "tickets");

            // The Api as it runs: its live status follows a broker, which is quiet here.
            await using var broker = await MosquittoServer.StartAsync();
            await using var api = await ServiceProcess.StartAsync("Api", new Dictionary<string, string>
            {
                ["Api:Database"] = database,
                ["Mqtt:Host"] = broker.Host,
                ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Mqtt:Username"] = "api",
                ["Mqtt:Password"] = broker.Credentials("api").Password,
                ["Api:ActionsPerMinute"] = (rate * 60 * 2).ToString(CultureInfo.InvariantCulture),
            });
            var token = await TokenAsync(api, database);
            var numbers = Path.Combine(directory, "numbers.txt");
            await File.WriteAllLinesAsync(numbers, open);
            var environment = new Dictionary<string, string>
            {
                ["TELEMETRY_TOKEN"] = token,
                ["TELEMETRY_NUMBERS"] = numbers,
                ["TELEMETRY_INTERVAL_MS"] = (Threads * 1000.0 / rate).ToString("F3", CultureInfo.InvariantCulture),
            };

            // Once briefly each, so that what is timed runs on warm code and a warm page cache.
            foreach (var kind in new[] { "healthz", "list", "action" })
            {
                await WrkAsync(api, directory, kind, 3, environment);
            }

            var floor = await WrkAsync(api, directory, "healthz", seconds, environment);
            var list = await WrkAsync(api, directory, "list", seconds, environment);
            var action = await WrkAsync(api, directory, "action", seconds, environment);
            Print("GET /healthz (floor)", floor);
            Print("GET /api/tickets, filtered and paged", list);
            Print("POST /api/tickets/{number}/comment", action);
            Figures.Ratio("list p99 / 50 ms target", list.P99 / 50, 1, higherIsBetter: false);
            Figures.Ratio("action p99 / 100 ms target", action.P99 / 100, 1, higherIsBetter: false);
            Figures.Value("list p99 over the floor's p99", list.P99 / floor.P99, "x");
            Figures.Value("action p99 over the floor's p99", action.P99 / floor.P99, "x");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Print(string what, WrkResult result)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {what,-40} {result.Rate,6:F0} req/s  p50 {result.P50,6:F2} ms  p99 {result.P99,6:F2} ms  max {result.Max,7:F2} ms  ({result.Requests:N0} requests, {result.Failed} not 2xx or failed)"));
        if (result.Failed > 0)
        {
            throw new InvalidOperationException($"{what}: {result.Failed} requests failed; the figures would not be the Api's");
        }
    }

    /// <summary>
    /// A year of a city's tickets, written by the ticket store as Rules would: every site, crew, grade and fault,
    /// most closed after the whole lifecycle, the rest in every status before. Returns the numbers not closed.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SeedAsync(string path, int count)
    {
        var clock = new SteppedClock(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var step = TimeSpan.FromDays(365) / count;
        var repository = new SqliteTicketRepository(new SqliteDatabase(path), new TicketOptions(), clock);
        var resolution = new Resolution("lamp driver failed", "driver replaced", ["driver 150W"], RepairKind.Hardware);
        var random = new Random(17);
        var open = new List<string>();
        for (var i = 0; i < count; i++)
        {
            clock.Now += step;
            var site = $"site-{i % Sites:00}";
            var fault = Faults[random.Next(Faults.Length)];
            var asset = new AssetRef(site, $"gw-{site}", $"dev-{i / Sites:00000}");
            var detected = new FaultDetected(
                asset, fault, fault.DefaultGrade(), clock.Now, $"{fault.ToName()} on {asset.Key}", new Dictionary<string, double> { ["value"] = i }, $"crew-{i % Crews:00}", CrewZone.Inner);
            var number = (await repository.RecordAsync(detected, CancellationToken.None)).Ticket.Number;

            // The last weeks' tickets are still being worked; the year before them is closed.
            var stage = i < count * 0.97 ? 4 : random.Next(5);
            var at = clock.Now;
            if (stage >= 1)
            {
                await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", at.AddMinutes(5)), CancellationToken.None);
            }

            if (stage >= 2)
            {
                await repository.ChangeAsync(number, t => t.ArriveOnSite("li.wei", at.AddMinutes(40)), CancellationToken.None);
            }

            if (stage >= 3)
            {
                await repository.ChangeAsync(number, t => t.Resolve(resolution, "li.wei", at.AddMinutes(90)), CancellationToken.None);
            }

            if (stage >= 4)
            {
                await repository.ChangeAsync(number, t => t.Close("operator.zhang", at.AddHours(20), "verified"), CancellationToken.None);
            }
            else
            {
                open.Add(number.ToString());
            }
        }

        return open;
    }

    /// <summary>An operator added with the Api's own users command, and a bearer token issued to it as to any API client.</summary>
    /// <summary>Adds an operator with the Api's users command; returns the password made for it.</summary>
    internal static async Task<string> AddOperatorAsync(string database, string name)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var added = await ExternalCommand.RunAsync("dotnet", [ServiceProcess.DllOf("Api"), "users", "set", name, "--role", "operator", "--database", database], standardInput: password + "\n");
        if (added.ExitCode != 0)
        {
            throw new InvalidOperationException($"the users command failed: {added.StandardOutput}{added.StandardError}");
        }

        return password;
    }

    private static async Task<string> TokenAsync(ServiceProcess api, string database)
    {
        var password = await AddOperatorAsync(database, "bench.operator");
        using var http = new HttpClient();
        using var issued = await http.PostAsJsonAsync(new Uri(api.HealthUrl, "/api/auth/tokens"), new { name = "bench.operator", password, client = "load generator" });
        issued.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<WrkResult> WrkAsync(ServiceProcess api, string directory, string kind, int seconds, Dictionary<string, string> environment)
    {
        var script = Path.Combine(directory, kind + ".lua");
        await File.WriteAllTextAsync(script, Script(kind));
        var target = new Uri(api.HealthUrl, "/").ToString();
        await using var wrk = ExternalCommand.Start(
            "wrk",
            ["-t", Threads.ToString(CultureInfo.InvariantCulture), "-c", Connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--timeout", "5s", "-s", script, target],
            environment);
        var output = await wrk.WaitForOutputAsync(o => o.Contains("RESULT ", StringComparison.Ordinal) && o.TrimEnd().EndsWith("END", StringComparison.Ordinal), TimeSpan.FromSeconds(seconds + 60));
        var line = output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Split(' ');
        double At(int i) => double.Parse(line[i], CultureInfo.InvariantCulture);
        return new WrkResult((long)At(1), At(2) / 1e6, At(3) / 1000, At(4) / 1000, At(5) / 1000, (long)At(6));
    }

    /// <summary>
    /// The wrk script of a request kind. Each thread sends on a fixed schedule (the rate asked for over the threads),
    /// whichever of its connections is free, so a slow answer does not lower the rate; the summary line gives
    /// latencies in microseconds.
    /// </summary>
    private static string Script(string kind) => $$"""
        local ffi = require("ffi")
        ffi.cdef[[
          typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
          int clock_gettime(int clock, bench_timespec *now);
        ]]
        local clock = ffi.new("bench_timespec")
        local function now_ms()
          ffi.C.clock_gettime(1, clock)
          return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
        end

        local token = os.getenv("TELEMETRY_TOKEN")
        local interval_ms = tonumber(os.getenv("TELEMETRY_INTERVAL_MS"))
        local numbers = {}
        for line in io.lines(os.getenv("TELEMETRY_NUMBERS")) do numbers[#numbers + 1] = line end
        local sites, crews, faults = {{Sites}}, {{Crews}}, { "single_lamps_dark", "mast_outage", "total_dark", "low_insulation", "device_silent" }
        local counter = 0
        local next_send = nil

        function init(args)
          math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
        end

        function delay()
          local now = now_ms()
          next_send = math.max((next_send or now) + interval_ms, now - 10 * interval_ms)
          return math.max(0, next_send - now)
        end

        local function list()
          local site = string.format("site-%02d", math.random(0, sites - 1))
          local crew = string.format("crew-%02d", math.random(0, crews - 1))
          local pick = math.random(4)
          if pick == 1 then
            return "/api/tickets?open=true&site=" .. site .. "&limit=50"
          elseif pick == 2 then
            return "/api/tickets?status=closed&grade=2&site=" .. site .. "&limit=50&offset=" .. (50 * math.random(0, 20))
          elseif pick == 3 then
            return "/api/tickets?crew=" .. crew .. "&from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z&limit=100"
          else
            return "/api/tickets?fault=" .. faults[math.random(#faults)] .. "&limit=50&offset=" .. (50 * math.random(0, 40))
          end
        end

        function request()
          local headers = { ["Authorization"] = "Bearer " .. token }
          if "{{kind}}" == "healthz" then
            return wrk.format("GET", "/healthz")
          elseif "{{kind}}" == "list" then
            return wrk.format("GET", list(), headers)
          else
            counter = counter + 1
            headers["Content-Type"] = "application/json"
            local number = numbers[math.random(#numbers)]
            return wrk.format("POST", "/api/tickets/" .. number .. "/comment", headers, '{"text":"street light checked from the patrol car, ' .. counter .. '"}')
          end
        end

        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %d %.0f %.0f %.0f %d\nEND\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(99), latency.max, e.connect + e.read + e.write + e.status + e.timeout))
        end
        """;

    private sealed record WrkResult(long Requests, double Seconds, double P50, double P99, double Max, long Failed)
    {
        public double Rate => Requests / Seconds;
    }

    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
