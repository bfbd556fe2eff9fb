using System.Globalization;
using System.Text;
using FsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Devices.Sites;
using Telemetry.Fuzzing.Inputs;
using Telemetry.Hosting;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Consuming;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Health;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// Rules' handling of one gateway message: <see cref="MessageJudge.Judge(string, ReadOnlySpan{byte}, ICollection{FaultTransition}, ICollection{JudgedEvent})"/> (the shared validator, then the rule
/// engine) on the plant of the small test site, whose gateway the messages come from. A refused message says why and
/// is counted by its reason; the next valid message is judged, whatever came before: its reading counted as judged,
/// not skipped, however the hostile ones moved the engine's state.
/// </summary>
public sealed class RulesTarget : IFuzzTarget
{
    private const string Site = "test-small";
    private const string Gateway = "gw-test-01";

    private readonly FakeTimeProvider _clock = new(ValidDocuments.Now);
    private readonly RulesStatistics _statistics;
    private readonly MessageJudge _judge;
    private readonly GatewayTopicKind _kind;
    private readonly string _topic;
    private readonly List<FaultTransition> _transitions = [];

    private RulesTarget(string name, GatewayTopicKind kind, IReadOnlyList<JsonTemplate> templates)
    {
        Name = name;
        _kind = kind;
        var topics = new Topics();
        _topic = kind switch
        {
            GatewayTopicKind.Telemetry => topics.Telemetry(Site, Gateway),
            GatewayTopicKind.Event => topics.Event(Site, Gateway),
            _ => topics.State(Site, Gateway),
        };
        Inputs = HostileJson.From([.. templates]);
        var site = SiteLoader.Parse(ValidDocuments.SiteFile, "test-small.json", ValidDocuments.Profiles);
        var engine = new RuleEngine(new PlantDirectory([site]), () => RuleSet.Default.Thresholds.Defaults, _clock);
        _statistics = new RulesStatistics(_clock, new ConsumerProgress(_clock, TimeSpan.FromSeconds(30)));
        _judge = new MessageJudge(engine, new GatewayMessageValidator(new ValidationLimits(), _clock), topics, 4 * 1024 * 1024, _statistics, _clock);
        if (!FeedValid())
        {
            throw new InvalidOperationException($"the valid message of {name} is not judged");
        }
    }

    public string Name { get; }

    public Gen<byte[]> Inputs { get; }

    /// <summary>Reading batches on the telemetry topic.</summary>
    public static RulesTarget Telemetry() => new("rules-telemetry", GatewayTopicKind.Telemetry, [Template("reading batch", ValidDocuments.ReadingBatch)]);

    /// <summary>Gateway events (battery test results, command results) on the event topic.</summary>
    public static RulesTarget Events() => new("rules-event", GatewayTopicKind.Event, [.. ValidDocuments.GatewayEvents.Select(e => Template("gateway event", e))]);

    /// <summary>Gateway states (online, and the offline will) on the state topic.</summary>
    public static RulesTarget States() => new("rules-state", GatewayTopicKind.State, [Template("gateway state", ValidDocuments.GatewayState)]);

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transitions.Clear();
        IReadOnlyList<Rejection> rejections;
        var counted = Counted();
        var judged = _statistics.Readings;
        try
        {
            rejections = _judge.Judge(_topic, input, _transitions);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }

        if (rejections.FirstOrDefault(r => string.IsNullOrWhiteSpace(r.Detail)) is { } mute)
        {
            return FuzzOutcome.Failed($"a rejection ({mute.ReasonName}) without a detail");
        }

        if (rejections.Count > 0 && Counted() - counted < rejections.Count)
        {
            return FuzzOutcome.Failed($"{rejections.Count} rejections but {Counted() - counted} counted");
        }

        // A batch of which some readings were judged was taken in part; one of which none was, refused whole.
        return rejections.Count == 0 ? FuzzOutcome.Accepted
            : _statistics.Readings > judged ? FuzzOutcome.AcceptedInPart(rejections[0].ReasonName, rejections[0].Detail)
            : FuzzOutcome.Refused(rejections[0].ReasonName, rejections[0].Detail);
    }

    /// <summary>
    /// A valid message stamped ten minutes after the last one (beyond how far ahead a hostile one may have been
    /// stamped and still be judged), so that it is news to the engine whatever came before.
    /// </summary>
    public bool FeedValid()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        var now = _clock.GetUtcNow().ToString(UtcMillisecondsJsonConverter.Format, CultureInfo.InvariantCulture);
        var (payload, readings) = _kind switch
        {
            GatewayTopicKind.Telemetry => ($$$"""{"v":1,"gateway":"{{{Gateway}}}","site":"{{{Site}}}","seq":1,"sent":"{{{now}}}","readings":[{"device":"box-1","family":"distribution_box","ts":"{{{now}}}","quality":"good","values":{"insulation_mohm":20.0,"residual_current_ma":3.0}}]}""", 1),
            GatewayTopicKind.Event => ($$$"""{"v":1,"kind":"battery_test_finished","ts":"{{{now}}}","device":"eps-1","values":{"runtime_s":5400.0},"attributes":{"outcome":"passed","test":"duration"}}""", 0),
            _ => ($$$"""{"state":"online","ts":"{{{now}}}","version":"1.4.2"}""", 0),
        };
        _transitions.Clear();
        var judged = _statistics.Readings;
        var rejections = _judge.Judge(_topic, Encoding.UTF8.GetBytes(payload), _transitions);
        return rejections.Count == 0 && _statistics.Readings - judged == readings;
    }

    private long Counted() => Enum.GetValues<RejectionReason>().Sum(_statistics.Rejections);

    /// <summary>The valid documents, moved onto the small test site's gateway and devices so the engine knows them.</summary>
    private static JsonTemplate Template(string name, string json)
    {
        var text = json.Replace(ValidDocuments.Gateway, Gateway, StringComparison.Ordinal).Replace($"\"{ValidDocuments.Site}\"", $"\"{Site}\"", StringComparison.Ordinal)
            .Replace("\"mast-07\"", "\"mast-1\"", StringComparison.Ordinal).Replace("\"box-03\"", "\"box-1\"", StringComparison.Ordinal);
        return JsonTemplate.From(
            name,
            text,
            words: [.. Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()), "good", "stale", "error", "online", "offline", Site, Gateway,
                "mast-1", "box-1", "sc-1", "eps-1", "ltc-1", EventKinds.BatteryTestFinished, EventKinds.CommandResult, "passed", "failed", "rejected", "done"],
            names: ["v", "gateway", "site", "seq", "sent", "readings", "device", "family", "ts", "quality", "circuit", "values", "error", "state", "version",
                "kind", "message", "attributes", "outcome", "test", "result", "action", PointNames.LampsLit, PointNames.InsulationMohm, PointNames.CommandedOn]);
    }
}
