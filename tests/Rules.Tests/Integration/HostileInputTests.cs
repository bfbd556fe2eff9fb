using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// Broken messages published into the running plant with the broker's own client, as a field plant would send them
/// (a firmware bug, a half-written batch, a bad clock): each is dead-lettered with the JSON path it broke, counted,
/// and the monitoring of every other device goes on.
/// </summary>
public sealed class HostileInputTests(RulesFixture fixture, ITestOutputHelper output) : IClassFixture<RulesFixture>
{
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PlantRig Rig => fixture.Rig;

    [Fact]
    public async Task A_null_reading_and_a_null_attribute_are_dead_lettered_and_the_next_valid_reading_is_stored_and_judged()
    {
        var started = DateTimeOffset.UtcNow;
        var rulesBefore = await CountsAsync(Rig.Rules!, "rules", "rejected");
        var ingestBefore = await CountsAsync(Rig.Ingest!, "ingest", "dead_letters");

        await PublishAsync("telemetry", $$$"""{"v":1,"gateway":"gw-rig","site":"rig","seq":900001,"sent":"{{{Now()}}}","readings":[null]}""");
        await PublishAsync("event", $$$"""{"v":1,"kind":"device_error","ts":"{{{Now()}}}","device":"box-01","attributes":{"k":null}}""");

        // A valid reading of a device nobody has heard of: Ingest stores it, Rules opens its grade-4 ticket.
        var probe = $"probe-{Guid.NewGuid():N}"[..14];
        var publishedAt = DateTimeOffset.UtcNow;
        var published = Stopwatch.StartNew();
        await PublishAsync("telemetry", $$$"""{"v":1,"gateway":"gw-rig","site":"rig","seq":900002,"sent":"{{{Now()}}}","readings":[{"device":"{{{probe}}}","family":"distribution_box","ts":"{{{Now()}}}","quality":"good","values":{"insulation_mohm":20.0}}]}""");
        TimeSpan? stored = null, judged = null;
        await Eventually.TrueAsync(
            async () =>
            {
                stored ??= await IsStoredAsync(probe) ? published.Elapsed : null;
                judged ??= (await Rig.TicketsAsync($"asset=rig/gw-rig/{probe}&fault=unknown_device")).Count == 1 ? published.Elapsed : null;
                return stored is not null && judged is not null;
            },
            $"the valid reading after the bad messages is stored and judged\n{Rig.Logs()}",
            Pipeline);
        var opened = (await Rig.TicketsAsync($"asset=rig/gw-rig/{probe}&fault=unknown_device")).Single().GetProperty("opened_at").GetDateTimeOffset();
        output.WriteLine(
            $"valid reading after the bad ones, from the start of mosquitto_pub: seen stored in {stored!.Value.TotalMilliseconds:F0} ms, " +
            $"its ticket opened by Rules at {(opened - publishedAt).TotalMilliseconds:F0} ms, seen through the Api at {judged!.Value.TotalMilliseconds:F0} ms");

        // Both bad messages are dead-lettered by both consumers, with the path of what was null.
        foreach (var (service, file) in new[] { ("rules", "rules-"), ("ingest", "ingest-") })
        {
            var letters = await Eventually.ValueAsync(
                () => Task.FromResult(DeadLetters(file).Where(l => l.Contains("900001", StringComparison.Ordinal) || l.Contains("\\u0022k\\u0022", StringComparison.Ordinal) || l.Contains("{\\\"k\\\":null}", StringComparison.Ordinal)).ToList()),
                l => l.Count >= 2,
                $"{service} dead-letters both bad messages");
            Assert.Contains(letters, l => l.Contains("$.readings[0]", StringComparison.Ordinal));
            Assert.Contains(letters, l => l.Contains("$.attributes.k", StringComparison.Ordinal));
        }

        var rulesAfter = await CountsAsync(Rig.Rules!, "rules", "rejected");
        var ingestAfter = await CountsAsync(Rig.Ingest!, "ingest", "dead_letters");
        Assert.Equal(2, rulesAfter.GetValueOrDefault("malformed_json") - rulesBefore.GetValueOrDefault("malformed_json"));
        Assert.Equal(2, ingestAfter.GetValueOrDefault("malformed_json") - ingestBefore.GetValueOrDefault("malformed_json"));
        Assert.Contains("\"status\": \"healthy\"", await Rig.Rules!.HealthAsync(), StringComparison.Ordinal);
        Assert.Contains("\"status\": \"healthy\"", await Rig.Ingest!.HealthAsync(), StringComparison.Ordinal);

        // Every device goes on being judged: past three poll intervals of every device, none is found silent.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var silent = (await Rig.TicketsAsync("fault=device_silent")).Where(t => t.GetProperty("opened_at").GetDateTimeOffset() >= started).ToList();
        Assert.Empty(silent);
    }

    [Fact]
    public async Task A_reading_dated_2099_does_not_hide_the_real_readings_that_follow()
    {
        const string asset = "rig/gw-rig/box-01";
        var before = await CountsAsync(Rig.Rules!, "rules", "rejected");
        await PublishAsync("telemetry", $$$"""{"v":1,"gateway":"gw-rig","site":"rig","seq":900003,"sent":"{{{Now()}}}","readings":[{"device":"box-01","family":"distribution_box","ts":"2099-12-31T23:59:59.000Z","quality":"good","values":{"insulation_mohm":50.0}}]}""");
        await Eventually.TrueAsync(
            async () => (await CountsAsync(Rig.Rules!, "rules", "rejected")).GetValueOrDefault("timestamp_out_of_range") > before.GetValueOrDefault("timestamp_out_of_range"),
            "the reading from 2099 is refused and counted");

        // The box's real readings after it are judged: the fault they show opens its ticket, and clears.
        await Rig.InjectFaultAsync("box-01", new { fault = "high_leakage", ma = 55 });
        var ticket = await Eventually.ValueAsync(
            async () => (await Rig.TicketsAsync($"asset={asset}&fault=high_leakage")).SingleOrDefault(),
            t => t.ValueKind == JsonValueKind.Object,
            $"the real readings after the one from 2099 open the leakage ticket\n{Rig.Logs()}",
            Pipeline);
        Assert.Equal(2, ticket.Grade());
        await Rig.ClearFaultAsync("box-01", "high_leakage");
        await Eventually.TrueAsync(
            async () => !(await Rig.TicketsAsync($"asset={asset}&fault=high_leakage")).Single().ConditionActive(),
            "the leakage clears on its ticket",
            Pipeline);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString(UtcMillisecondsJsonConverter.Format, CultureInfo.InvariantCulture);

    private Task PublishAsync(string kind, string payload) =>
        ExternalCommand.RunAsync("mosquitto_pub", [.. Rig.Broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-i", "field-" + kind, "-t", $"lighting/rig/gw-rig/{kind}", "-m", payload])
            .ContinueWith(t => t.Result.EnsureSuccess("mosquitto_pub"), TaskScheduler.Default);

    private async Task<bool> IsStoredAsync(string device)
    {
        var query = Uri.EscapeDataString($"SELECT count(insulation_mohm) FROM distribution_box WHERE device = '{device}'");
        var answer = await Http.GetStringAsync(new Uri(Rig.Influx!.Url, $"query?db=telemetry&q={query}"));
        return answer.Contains("\"values\"", StringComparison.Ordinal);
    }

    private IEnumerable<string> DeadLetters(string prefix)
    {
        var directory = Path.Combine(Rig.Directory, "deadletters");
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, prefix + "*").SelectMany(f => File.ReadAllLines(f))
            : [];
    }

    private static async Task<Dictionary<string, long>> CountsAsync(ServiceProcess service, string source, string counters)
    {
        using var health = JsonDocument.Parse(await service.HealthAsync());
        return health.RootElement.GetProperty(source).GetProperty(counters).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }
}
