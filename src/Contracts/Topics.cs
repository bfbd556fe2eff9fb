namespace Telemetry.Contracts;

/// <summary>What a message on a gateway's topic tree carries.</summary>
public enum GatewayTopicKind
{
    State,
    Telemetry,
    Event,
    Command,

    /// <summary>An answer to a command, for the requester named in the last level.</summary>
    Reply,

    /// <summary>A consumer group (the last level) asks the gateway for batches again.</summary>
    Replay,

    /// <summary>Batches sent again, and the replay's summary, for the consumer group named in the last level only.</summary>
    Replayed,
}

/// <summary>A parsed gateway topic: <c>{root}/{site}/{gateway}/{kind}[/{device or requester}]</c>.</summary>
/// <param name="Site">The site level.</param>
/// <param name="Gateway">The gateway level.</param>
/// <param name="Kind">What the topic carries.</param>
/// <param name="Device">The device of a command topic, the requester of a reply topic, or the consumer group of a replay topic; null for the others.</param>
public sealed record GatewayTopic(string Site, string Gateway, GatewayTopicKind Kind, string? Device = null);

/// <summary>The MQTT topic names of the contracts, under a configurable root (default <c>lighting</c>).</summary>
public sealed class Topics
{
    public const string DefaultRoot = "lighting";

    public Topics(string root = DefaultRoot)
    {
        if (!Identifiers.IsValid(root))
        {
            throw new ArgumentException($"MQTT root '{root}' is not a valid identifier: {Identifiers.Rule}", nameof(root));
        }

        Root = root;
    }

    public string Root { get; }

    public string State(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/state";

    public string Telemetry(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/telemetry";

    public string Event(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/event";

    public string Command(string site, string gateway, string device) => $"{Root}/{Checked(site)}/{Checked(gateway)}/cmd/{Checked(device)}";

    /// <summary>
    /// Where a gateway answers the commands of <paramref name="requester"/>: under the gateway's own tree, so that the
    /// broker can let a gateway publish only there and a requester read only its own answers.
    /// </summary>
    public string Reply(string site, string gateway, string requester) => $"{Root}/{Checked(site)}/{Checked(gateway)}/reply/{Checked(requester)}";

    /// <summary>The answers of every gateway to <paramref name="requester"/>: <c>{root}/+/+/reply/{requester}</c>.</summary>
    public string AllRepliesTo(string requester) => $"{Root}/+/+/reply/{Checked(requester)}";

    /// <summary>The first levels every reply topic of a gateway starts with: <c>{root}/{site}/{gateway}/reply/</c>.</summary>
    public string ReplyPrefix(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/reply/";

    /// <summary>Where consumer group <paramref name="group"/> asks a gateway for batches again.</summary>
    public string Replay(string site, string gateway, string group) => $"{Root}/{Checked(site)}/{Checked(gateway)}/replay/{Checked(group)}";

    /// <summary>Where a gateway sends batches again for consumer group <paramref name="group"/>, and the replay's summary.</summary>
    public string Replayed(string site, string gateway, string group) => $"{Root}/{Checked(site)}/{Checked(gateway)}/replayed/{Checked(group)}";

    /// <summary>Every gateway's replays for <paramref name="group"/>: <c>{root}/+/+/replayed/{group}</c>.</summary>
    public string AllReplayedTo(string group) => $"{Root}/+/+/replayed/{Checked(group)}";

    /// <summary>Where consumer group <paramref name="group"/> reports batches it will never have: <c>{root}/datagap/{group}</c>.</summary>
    public string DataGap(string group) => $"{Root}/datagap/{Checked(group)}";

    /// <summary>Every consumer group's data-gap reports.</summary>
    public string AllDataGaps => $"{Root}/datagap/+";

    public string Alerts(string crew) => $"{Root}/alerts/{Checked(crew)}";

    /// <summary>Every gateway's telemetry: <c>{root}/+/+/telemetry</c>.</summary>
    public string AllTelemetry => $"{Root}/+/+/telemetry";

    public string AllStates => $"{Root}/+/+/state";

    public string AllEvents => $"{Root}/+/+/event";

    /// <summary>A shared subscription so that several instances of a consumer split the stream.</summary>
    public static string Shared(string group, string filter) => $"$share/{Checked(group)}/{filter}";

    /// <summary>Reads a gateway topic; null when the topic is not one (wrong root, shape or identifiers).</summary>
    public GatewayTopic? Parse(string topic)
    {
        var parts = topic.Split('/');
        if (parts.Length < 4 || parts[0] != Root || !Identifiers.IsValid(parts[1]) || !Identifiers.IsValid(parts[2]))
        {
            return null;
        }

        return (parts.Length, parts[3]) switch
        {
            (4, "state") => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.State),
            (4, "telemetry") => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.Telemetry),
            (4, "event") => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.Event),
            (5, "cmd") when Identifiers.IsValid(parts[4]) => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.Command, parts[4]),
            (5, "reply") when Identifiers.IsValid(parts[4]) => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.Reply, parts[4]),
            (5, "replay") when Identifiers.IsValid(parts[4]) => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.Replay, parts[4]),
            (5, "replayed") when Identifiers.IsValid(parts[4]) => new GatewayTopic(parts[1], parts[2], GatewayTopicKind.Replayed, parts[4]),
            _ => null,
        };
    }

    private static string Checked(string identifier) =>
        Identifiers.IsValid(identifier) ? identifier : throw new ArgumentException($"'{identifier}' is not a valid identifier: {Identifiers.Rule}", nameof(identifier));
}
