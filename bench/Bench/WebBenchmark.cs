using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Mqtt;
using Telemetry.Testing;
using Telemetry.Testing.Browser;

namespace Telemetry.Bench;

/// <summary>
/// The web app on a plant of 2,000 devices (a generated site file, every device reporting, a few hundred tickets
/// open), in Debian's Chromium driven by Playwright:
/// - the wall-screen overview and the site plan, from navigation until the page shows the plant on its live
///   connection (the pages are not prerendered, so shown is interactive), against the floor measured in the same
///   run: the app's emptiest interactive page (not allowed), which costs the same connection and layout and no data;
/// - many operator sessions on the overview at once: the Api's memory per session, and how long a new ticket takes
///   from the ticket store to every session's alarm list.
/// </summary>
internal static class WebBenchmark
{
    private const string SiteCard = "[data-testid=site-card]";
    private const string PlanDevice = "[data-testid=plan-device]";
    private const string AlarmRow = "[data-testid=alarm-row]";

    public static async Task RunAsync(int devices, int sessions, int loads)
    {
        Console.WriteLine($"Web: a plant of {devices:N0} devices, the overview and the plan loaded {loads} times each, then {sessions} sessions on the overview");
        var directory = Directory.CreateTempSubdirectory("telemetry-bench-web-").FullName;
        try
        {
            var siteFile = Path.Combine(directory, "site.json");
            await File.WriteAllTextAsync(siteFile, RulesBenchmark.SiteJson(devices, boxesOnly: false, withLocations: true));
            var site = SiteLoader.LoadFile(siteFile, ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles")));
            var database = Path.Combine(directory, "maintenance.db");
            var repository = new SqliteTicketRepository(new SqliteDatabase(database), new TicketOptions(), TimeProvider.System);
            var all = site.Gateways.SelectMany(g => g.Devices).ToList();
            for (var i = 0; i < 300; i++)
            {
                await OpenAsync(repository, all[i * (all.Count / 300)], i);
            }

            await using var broker = await MosquittoServer.StartAsync();
            await using var api = await ServiceProcess.StartAsync("Api", new Dictionary<string, string>
            {
                ["Api:Database"] = database,
                ["Api:TimeZone"] = "Asia/Shanghai",
                ["Api:SiteFiles:0"] = siteFile,
                ["Api:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                ["Mqtt:Host"] = broker.Host,
                ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Mqtt:Username"] = "api",
                ["Mqtt:Password"] = broker.Credentials("api").Password,
            });
            var password = await ApiBenchmark.AddOperatorAsync(database, "bench.operator");
            await using var gateway = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "bench-web-gateway" });
            await gateway.ConnectAsync(CancellationToken.None);
            await ReportAsync(gateway, all);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await DebianChromium.LaunchAsync(playwright);
            var baseUrl = new Uri(api.HealthUrl, "/").ToString();
            var signedIn = await SignInAsync(browser, baseUrl, password);

            // Warm: the first load of each page compiles the server's and the browser's code paths.
            await LoadAsync(browser, baseUrl, signedIn, "/not-allowed", "[data-testid=not-allowed]", 1);
            await LoadAsync(browser, baseUrl, signedIn, "/plant", SiteCard, 1);
            var floor = await TimesAsync(browser, baseUrl, signedIn, "/not-allowed", "[data-testid=not-allowed]", 1, loads);
            var overview = await TimesAsync(browser, baseUrl, signedIn, "/plant", AlarmRow, 1, loads);
            var plan = await TimesAsync(browser, baseUrl, signedIn, "/plant/" + RulesBenchmark.Site, PlanDevice, devices, loads);
            Print("empty interactive page (floor)", floor);
            Print("overview: sites, counts, open alarms", overview);
            Print($"plan of the site: {devices:N0} devices drawn", plan);
            Figures.Ratio("overview median / 1 s target", Figures.Median(overview) / 1000, 1, higherIsBetter: false);
            Figures.Ratio("plan median / 1 s target", Figures.Median(plan) / 1000, 1, higherIsBetter: false);
            Figures.Value("overview median over the floor's median", Figures.Median(overview) / Figures.Median(floor), "x");

            // Many sessions: memory per session, and a new ticket's way to every one of them.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var before = ResidentMegabytes(api.ProcessId!.Value);
            var pages = new List<IPage>();
            for (var i = 0; i < sessions; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, StorageState = signedIn });
                var page = await context.NewPageAsync();
                await page.GotoAsync("/plant");
                await page.Locator(AlarmRow).First.WaitForAsync();
                pages.Add(page);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = ResidentMegabytes(api.ProcessId!.Value);
            Figures.Value($"Api resident memory, no session", before, "MB");
            Figures.Value($"Api resident memory, {sessions} sessions on the overview", after, "MB");
            Figures.Value("Api memory per session", (after - before) / sessions, "MB");

            var latencies = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                var device = all[(i * 97) + 1];
                var watch = Stopwatch.StartNew();
                var number = await OpenAsync(repository, device, 1_000 + i, FaultType.TotalDark);
                var seen = await Task.WhenAll(pages.Select(async p =>
                {
                    await p.Locator(AlarmRow, new() { HasText = number }).First.WaitForAsync(new() { Timeout = 30_000 });
                    return watch.Elapsed.TotalMilliseconds;
                }));
                latencies.Add(seen.Max());
            }

            Figures.Value($"new grade-1 ticket to all {sessions} alarm lists, median", Figures.Median(latencies), "ms");
            Figures.Value($"new grade-1 ticket to all {sessions} alarm lists, max of 10", latencies.Max(), "ms");
            Figures.Ratio("that max / 3 s target", latencies.Max() / 3000, 1, higherIsBetter: false);
            foreach (var page in pages)
            {
                await page.Context.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> OpenAsync(SqliteTicketRepository repository, SiteDevice device, int i, FaultType? fault = null)
    {
        FaultType[] faults = [FaultType.SingleLampsDark, FaultType.DeviceSilent, FaultType.DoorOpen, FaultType.LowInsulation, FaultType.MastOutage];
        var type = fault ?? faults[i % faults.Length];
        var asset = new AssetRef(RulesBenchmark.Site, RulesBenchmark.Gateway, device.Id);
        var detected = new FaultDetected(asset, type, type.DefaultGrade(), DateTimeOffset.UtcNow, $"{type.ToName()} on {device.Id}",
            new Dictionary<string, double> { ["value"] = i }, "crew-bench", CrewZone.Inner);
        return (await repository.RecordAsync(detected, CancellationToken.None)).Ticket.Number.ToString();
    }

    /// <summary>The gateway says it is online and every device reports once: the plant is live.</summary>
    private static async Task ReportAsync(MqttClient gateway, IReadOnlyList<SiteDevice> devices)
    {
        var stateTopic = new Topics().State(RulesBenchmark.Site, RulesBenchmark.Gateway);
        await gateway.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = stateTopic,
                Payload = JsonSerializer.SerializeToUtf8Bytes(new GatewayState { State = GatewayStatus.Online, Ts = DateTimeOffset.UtcNow, Version = "bench" }, ContractsJson.Default.GatewayState),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Retain = true,
            },
            CancellationToken.None);
        var seq = 0L;
        foreach (var chunk in devices.Chunk(100))
        {
            var now = DateTimeOffset.UtcNow;
            var readings = chunk.SelectMany(RulesBenchmark.Readings).Select(r => r with { Ts = now }).ToArray();
            await gateway.PublishAsync(
                new MqttApplicationMessage
                {
                    Topic = new Topics().Telemetry(RulesBenchmark.Site, RulesBenchmark.Gateway),
                    Payload = JsonSerializer.SerializeToUtf8Bytes(
                        new ReadingBatch { Gateway = RulesBenchmark.Gateway, Site = RulesBenchmark.Site, Seq = ++seq, Sent = now, Readings = readings },
                        ContractsJson.Default.ReadingBatch),
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                },
                CancellationToken.None);
        }
    }

    private static async Task<string> SignInAsync(IBrowser browser, string baseUrl, string password)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        await DebianChromium.SignInAsync(page, "bench.operator", password);
        return await context.StorageStateAsync();
    }

    private static async Task<List<double>> TimesAsync(IBrowser browser, string baseUrl, string signedIn, string path, string shown, int count, int loads)
    {
        var times = new List<double>();
        for (var i = 0; i < loads; i++)
        {
            times.Add(await LoadAsync(browser, baseUrl, signedIn, path, shown, count));
        }

        return times;
    }

    /// <summary>Milliseconds from navigation until <paramref name="count"/> elements matching <paramref name="shown"/> are on the page.</summary>
    private static async Task<double> LoadAsync(IBrowser browser, string baseUrl, string signedIn, string path, string shown, int count)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, StorageState = signedIn });
        var page = await context.NewPageAsync();
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync(
            "([selector, count]) => document.querySelectorAll(selector).length >= count",
            new object[] { shown, count },
            new() { PollingInterval = 10, Timeout = 60_000 });
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Print(string what, List<double> times) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {what,-58} median {Figures.Median(times),7:F0} ms  min {times.Min(),7:F0} ms  max {times.Max(),7:F0} ms  ({times.Count} loads)"));

    private static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
