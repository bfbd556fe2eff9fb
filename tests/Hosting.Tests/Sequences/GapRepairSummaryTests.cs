using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Hosting.Sequences;
using Telemetry.Mqtt;

namespace Telemetry.Hosting.Tests.Sequences;

/// <summary>
/// What a consumer group makes of a gateway's replay summary: a summary that cannot be read, or a refusal, is counted and
/// changes nothing; a valid one after it gives up what the gateway no longer holds, and never what lies above the newest
/// batch it holds. (No broker is involved: summaries are taken as they arrive, the client is never connected.)
/// </summary>
public sealed class GapRepairSummaryTests : IAsyncDisposable
{
    private const string Replayed = "lighting/north/gw-north-01/replayed/rules";
    private static readonly GatewayStream North = new("north", "gw-north-01");
    private static readonly GatewayTopic Telemetry = new("north", "gw-north-01", GatewayTopicKind.Telemetry);
    private readonly string _directory = Directory.CreateTempSubdirectory("gap-repair-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly MqttClient _mqtt = new(new MqttClientOptions { Host = "127.0.0.1" });
    private readonly GapRepair _repair;

    public GapRepairSummaryTests()
    {
        _repair = new GapRepair(_mqtt, new Topics(), "rules", new SequenceSettings { File = Path.Combine(_directory, "s.json") }, _clock, NullLogger<GapRepair>.Instance);
        _repair.Handled(Telemetry, 1, _clock.GetUtcNow(), replayed: false);
        _repair.Handled(Telemetry, 10, _clock.GetUtcNow(), replayed: false);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("""{"v":1,"id":"a","refused":"busy","detail":"16 requests waiting"}""")]
    [InlineData("""{"v":1,"id":"a","from":2,"to":9,"sent":0,"missing":[[9,2],[1],["x"]],"held_from":1,"held_to":10}""")]
    public void A_summary_that_cannot_be_read_or_acted_on_changes_nothing_and_the_next_valid_one_is_taken(string payload)
    {
        Assert.True(_repair.TryTakeSummary(Summary(payload)));
        Assert.Equal([new SequenceRange(2, 9)], _repair.Tracker.MissingWithin(North, new SequenceRange(1, 10)));
        Assert.Equal(0, _repair.Tracker.LostCount);

        Assert.True(_repair.TryTakeSummary(Summary("""{"v":1,"id":"b","from":2,"to":9,"sent":4,"missing":[[2,5]],"held_from":6,"held_to":10}""")));
        Assert.Equal([new SequenceRange(6, 9)], _repair.Tracker.MissingWithin(North, new SequenceRange(1, 10)));
        Assert.Equal(4, _repair.Tracker.LostCount);
    }

    [Fact]
    public void Nothing_above_the_newest_batch_the_gateway_holds_is_lost_and_numbers_counted_above_it_are_forgotten()
    {
        _repair.Handled(Telemetry, 900_003, _clock.GetUtcNow(), replayed: false);

        Assert.True(_repair.TryTakeSummary(Summary("""{"v":1,"id":"c","from":11,"to":900002,"sent":0,"missing":[[11,900002]],"held_from":1,"held_to":10}""")));

        Assert.False(_repair.Tracker.IsHandled(North, 900_003));
        Assert.Equal([new SequenceRange(2, 9)], _repair.Tracker.MissingWithin(North, new SequenceRange(1, 900_003)));
        Assert.Equal(0, _repair.Tracker.LostCount);
    }

    [Fact]
    public void Only_a_summary_on_a_replayed_topic_marked_as_one_is_taken()
    {
        var unmarked = new MqttApplicationMessage { Topic = Replayed, Payload = Encoding.UTF8.GetBytes("{}") };
        var elsewhere = Summary("{}") with { Topic = "lighting/north/gw-north-01/telemetry" };

        Assert.False(_repair.TryTakeSummary(unmarked));
        Assert.False(_repair.TryTakeSummary(elsewhere));
    }

    [Fact]
    public void Settings_out_of_bounds_are_each_named()
    {
        var problems = new SequenceSettings { File = " ", Grace = TimeSpan.Zero, Retry = TimeSpan.FromDays(1), MaxAsks = 0, MaxBatchesPerRequest = -1 }.Validate().ToList();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Sequences:File", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Sequences:Grace", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Sequences:Retry", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Sequences:MaxAsks", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Sequences:MaxBatchesPerRequest", StringComparison.Ordinal));
        Assert.Empty(new SequenceSettings { File = "state/x.json" }.Validate());
    }

    private static MqttApplicationMessage Summary(string payload) => new()
    {
        Topic = Replayed,
        Payload = Encoding.UTF8.GetBytes(payload),
        UserProperties = [new MqttUserProperty(ReplayProperties.Summary, "a")],
    };

    public async ValueTask DisposeAsync()
    {
        await _mqtt.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
