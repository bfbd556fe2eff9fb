using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Hosting.Sequences;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Mqtt;
using Telemetry.Rules.Alerts;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Consuming;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Health;
using Telemetry.Rules.Persistence;
using Telemetry.Rules.Planning;
using Telemetry.Rules.Ticketing;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Consuming;

/// <summary>
/// The Rules consumer on the real broker and a real ticket store, with a store that refuses one asset's changes for
/// good: a message whose conclusions cannot be stored is dead-lettered, and every message after it is judged.
/// </summary>
public sealed class RuleInputServiceTests : IAsyncLifetime
{
    private const string Site = PlantRig.SiteId;
    private const string Gateway = PlantRig.GatewayId;

    private readonly string _directory = RepositoryPaths.NewScratchDirectory("rules-consumer");
    private MosquittoServer _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoServer.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task A_message_the_store_refuses_for_good_is_dead_lettered_and_every_later_one_is_judged()
    {
        await using var rules = await ConsumerAsync(refusedAsset: $"{Site}/{Gateway}/poison-01");
        await using var gateway = await ClientAsync("gw-probe");

        // Unknown devices open a grade-4 ticket each: one the store refuses, then three it takes.
        await PublishAsync(gateway, Batch(1, "poison-01"));
        foreach (var (seq, device) in new[] { (2L, "probe-01"), (3L, "probe-02"), (4L, "probe-03") })
        {
            await PublishAsync(gateway, Batch(seq, device));
        }

        await Eventually.TrueAsync(
            async () => (await rules.Tickets.ListAsync(new TicketQuery { Fault = FaultType.UnknownDevice }, CancellationToken.None)).Count == 3,
            "the three tickets after the refused one are opened");
        var letter = await Eventually.ValueAsync(
            () => Task.FromResult(DeadLetters().SingleOrDefault()),
            l => l is not null,
            "the refused message is dead-lettered");
        var rejection = letter!.RootElement.GetProperty("rejections")[0];
        Assert.Equal("refused_by_store", rejection.GetProperty("reason").GetString());
        Assert.Contains("poison-01", rejection.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"poison-01\"", letter.RootElement.GetProperty("payload").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, rules.Statistics.Rejections(RejectionReason.RefusedByStore));
        Assert.Equal(HealthStatus.Healthy, rules.Statistics.Verdict.Status);
    }

    [Fact]
    public async Task A_store_that_is_down_is_retried_without_dead_lettering_and_health_says_so()
    {
        await using var rules = await ConsumerAsync(refusedAsset: null);
        await using var gateway = await ClientAsync("gw-probe");
        rules.Store.Unavailable = true;

        await PublishAsync(gateway, Batch(1, "probe-11"));
        await Eventually.TrueAsync(
            () => Task.FromResult(rules.Statistics.Verdict is { Status: HealthStatus.Degraded } v && v.Reasons.Any(r => r.Contains("store ticket changes", StringComparison.Ordinal))),
            "health tells of the retries");

        rules.Store.Unavailable = false;
        await Eventually.TrueAsync(
            async () => (await rules.Tickets.ListAsync(new TicketQuery { Fault = FaultType.UnknownDevice }, CancellationToken.None)).Count == 1,
            "the ticket is stored once the store is back");
        await Eventually.TrueAsync(() => Task.FromResult(rules.Statistics.Verdict.Status == HealthStatus.Healthy), "healthy again");
        Assert.Empty(DeadLetters());
    }

    private IReadOnlyList<JsonDocument> DeadLetters()
    {
        var directory = Path.Combine(_directory, "dead");
        return !Directory.Exists(directory)
            ? []
            : [.. Directory.GetFiles(directory).SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l))];
    }

    private static string Batch(long seq, string device)
    {
        var now = DateTimeOffset.UtcNow.ToString(UtcMillisecondsJsonConverter.Format, CultureInfo.InvariantCulture);
        return $$$"""{"v":1,"gateway":"{{{Gateway}}}","site":"{{{Site}}}","seq":{{{seq}}},"sent":"{{{now}}}","readings":[{"device":"{{{device}}}","family":"distribution_box","ts":"{{{now}}}","quality":"good","values":{"insulation_mohm":20.0}}]}""";
    }

    private async Task<MqttClient> ClientAsync(string id)
    {
        var client = new MqttClient(_broker.ClientOptions(MosquittoServer.Harness) with { ClientId = id });
        await client.ConnectAsync(CancellationToken.None);
        return client;
    }

    private static Task<MqttPublishResult> PublishAsync(MqttClient client, string batch) => client.PublishAsync(
        new MqttApplicationMessage { Topic = $"lighting/{Site}/{Gateway}/telemetry", Payload = Encoding.UTF8.GetBytes(batch), QualityOfService = MqttQualityOfService.AtLeastOnce },
        CancellationToken.None);

    private async Task<RunningConsumer> ConsumerAsync(string? refusedAsset)
    {
        var siteFile = Path.Combine(_directory, "site.json");
        await File.WriteAllTextAsync(siteFile, PlantRig.SiteJson(
            new PlantRigOptions { Devices = [new Telemetry.Testing.PlantDevice("box-01", "ak-dbm300", "distribution_box", false, 1, 1)] }, null, 1502));
        var clock = TimeProvider.System;
        var settings = new RulesSettings
        {
            SiteFiles = [siteFile],
            ProfilesDirectory = Path.Combine(RepositoryPaths.Hardware, "profiles"),
            Database = Path.Combine(_directory, "maintenance.db"),
            TickInterval = TimeSpan.FromMilliseconds(200),
        };
        var broker = new BrokerSettings { Port = _broker.Port, Username = "rules", Password = _broker.Credentials("rules").Password, ClientId = "rules-consumer", SharedGroup = "rules" };
        var database = new SqliteDatabase(settings.Database);
        var options = new TicketOptions { ServiceUnit = settings.ServiceUnit, TimeZone = settings.TimeZone };
        var store = new RefusingTicketStore(new SqliteTicketRepository(database, options, clock), refusedAsset);
        var progress = new ConsumerProgress(clock, TimeSpan.FromSeconds(30));
        var statistics = new RulesStatistics(clock, progress);
        var plant = new PlantFiles(settings, NullLogger<PlantFiles>.Instance);
        var engine = new RuleEngine(plant.CreateDirectory(), () => RuleSet.Default.Thresholds.Defaults, clock);
        var topics = new Topics();
        var mqtt = broker.CreateConsumer(settings.MaxPayloadBytes + 64 * 1024, NullLogger<MqttClient>.Instance, clock);
        var deadLetters = new DeadLetterSink(
            mqtt, new DeadLetterSettings { File = Path.Combine(_directory, "dead", "rules-.jsonl"), TopicSuffix = "deadletter/rules" }, topics.Root, clock, NullLogger<DeadLetterSink>.Instance);
        var judge = new MessageJudge(engine, new GatewayMessageValidator(new ValidationLimits(), clock), topics, settings.MaxPayloadBytes, statistics, clock);
        var gaps = new GapRepair(mqtt, topics, broker.SharedGroup, new SequenceSettings { File = Path.Combine(_directory, "sequences.json") }, clock, NullLogger<GapRepair>.Instance);
        var service = new RuleInputService(
            mqtt, engine, judge, gaps, new DataGapTickets(plant, topics), new TicketRecorder(store, new AlertSignal(), statistics, clock, NullLogger<TicketRecorder>.Instance),
            new BatteryTestWorkOrders(new SqliteWorkOrderStore(database), new SqliteMaintenanceIntervalStore(database), plant, NullLogger<BatteryTestWorkOrders>.Instance), store,
            new RuleStateStore(database, clock), plant, broker, settings, topics, statistics, progress, deadLetters, clock, NullLogger<RuleInputService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(statistics.Verdict.Status == HealthStatus.Healthy), "the consumer subscribes");
        return new RunningConsumer(service, mqtt, deadLetters, store, statistics);
    }

    private sealed record RunningConsumer(RuleInputService Service, MqttClient Mqtt, DeadLetterSink DeadLetters, RefusingTicketStore Store, RulesStatistics Statistics) : IAsyncDisposable
    {
        public ITicketRepository Tickets => Store;

        public async ValueTask DisposeAsync()
        {
            await Service.StopAsync(CancellationToken.None);
            Service.Dispose();
            await Mqtt.DisposeAsync();
            await DeadLetters.DisposeAsync();
        }
    }

    /// <summary>The real store, but one that refuses one asset's detections for good, or is down while told so.</summary>
    private sealed class RefusingTicketStore(ITicketRepository inner, string? refusedAsset) : ITicketRepository
    {
        public volatile bool Unavailable;

        public Task<FaultRecorded> RecordAsync(FaultDetected detected, CancellationToken cancellationToken)
        {
            if (Unavailable)
            {
                throw new IOException("the ticket database is on a disk that went away");
            }

            return detected.Asset.Key == refusedAsset
                ? throw new InvalidOperationException($"no ticket may be opened for {refusedAsset}")
                : inner.RecordAsync(detected, cancellationToken);
        }

        public Task<Ticket?> RecordClearedAsync(FaultCleared cleared, CancellationToken cancellationToken) => inner.RecordClearedAsync(cleared, cancellationToken);

        public Task<Ticket> OpenManualAsync(ManualTicket request, CancellationToken cancellationToken) => inner.OpenManualAsync(request, cancellationToken);

        public Task<Ticket?> FindAsync(TicketNumber number, CancellationToken cancellationToken) => inner.FindAsync(number, cancellationToken);

        public Task<IReadOnlyList<Ticket>> ListAsync(TicketQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

        public Task<Ticket> ChangeAsync(TicketNumber number, Action<Ticket> change, CancellationToken cancellationToken) => inner.ChangeAsync(number, change, cancellationToken);

        public Task<IReadOnlyList<Ticket>> ListFollowUpsDueAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken) => inner.ListFollowUpsDueAsync(dueBefore, cancellationToken);

        public Task<IReadOnlyList<Ticket>> ListActiveConditionsAsync(CancellationToken cancellationToken) => inner.ListActiveConditionsAsync(cancellationToken);

        public Task<IReadOnlyList<Ticket>> ListUnescalatedBreachesAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.ListUnescalatedBreachesAsync(now, cancellationToken);
    }
}
