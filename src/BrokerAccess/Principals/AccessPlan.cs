using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.BrokerAccess.Principals;

/// <summary>
/// The broker's users and what each may do, from the site files: every gateway writes only its own tree and reads
/// only its own commands, the central services read the gateways' streams, only the Api sends commands, only Rules
/// sends alerts, each crew reads its own alerts.
/// </summary>
public static class AccessPlan
{
    public const string Ingest = "ingest";

    public const string Rules = "rules";

    public const string Api = "api";

    public const string Observer = "observer";

    /// <summary>The user name of a gateway: its default MQTT client id, so a broker log line names it once.</summary>
    public static string GatewayPrincipal(string site, string gateway) => $"gateway-{site}-{gateway}";

    /// <summary>The user name of the clients that read a crew's alerts (<c>alerts-crew-north</c>).</summary>
    public static string CrewPrincipal(string crew) => $"alerts-{crew}";

    /// <summary>The principals of <paramref name="sites"/>, then <paramref name="extra"/> ones (whose lines join a same-named one).</summary>
    /// <exception cref="AccessRefusedException">Two sites define the same gateway twice over, or an extra principal's name is invalid.</exception>
    public static IReadOnlyList<Principal> For(IEnumerable<Site> sites, Topics topics, IEnumerable<Principal>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(sites);
        ArgumentNullException.ThrowIfNull(topics);
        var root = topics.Root;

        // Shared subscriptions ($share/{group}/...) need no lines of their own: Mosquitto 2.0 checks read access on
        // each message delivered, against the message's topic, whatever the subscription's filter looked like.
        AclEntry[] stream =
        [
            new(TopicAccess.Read, topics.AllTelemetry),
            new(TopicAccess.Read, topics.AllStates),
            new(TopicAccess.Read, topics.AllEvents),
        ];
        var principals = new List<Principal>();
        var crews = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            foreach (var gateway in site.Gateways)
            {
                var tree = $"{root}/{site.Id}/{gateway.Id}";
                principals.Add(new Principal(GatewayPrincipal(site.Id, gateway.Id),
                [
                    new(TopicAccess.Write, topics.Telemetry(site.Id, gateway.Id)),
                    new(TopicAccess.Write, topics.State(site.Id, gateway.Id)),
                    new(TopicAccess.Write, topics.Event(site.Id, gateway.Id)),
                    new(TopicAccess.Write, $"{tree}/reply/#"),
                    new(TopicAccess.Read, $"{tree}/cmd/#"),
                    new(TopicAccess.Read, $"{tree}/replay/+"),
                    new(TopicAccess.Write, $"{tree}/replayed/+"),
                ]));
                crews.UnionWith(gateway.Devices.Select(d => d.Crew).OfType<string>());
            }
        }

        // Each consumer publishes what it could not process to its own dead-letter topic (DeadLetters:TopicSuffix), for operators to watch.
        // Each consumer group asks the gateways for batches it missed on its own replay topic and alone reads the answers,
        // so a replay never reaches another group.
        // Batches a group will never have are reported on its own data-gap topic, which Rules reads to open a ticket.
        principals.Add(new Principal(Ingest, [.. stream, .. Replays(root, Ingest), new(TopicAccess.Write, $"{root}/deadletter/ingest")]));
        principals.Add(new Principal(Rules,
        [
            .. stream, .. Replays(root, Rules), new(TopicAccess.Write, $"{root}/alerts/#"), new(TopicAccess.Write, $"{root}/deadletter/rules"),
            new(TopicAccess.Read, topics.AllDataGaps),
        ]));
        // The Api reads the command replies under the gateways' trees, and is the only principal that writes commands.
        principals.Add(new Principal(Api,
        [
            .. stream,
            new(TopicAccess.Read, $"{root}/+/+/reply/#"),
            new(TopicAccess.Write, $"{root}/+/+/cmd/#"),
        ]));
        principals.AddRange(crews.Select(crew => new Principal(CrewPrincipal(crew), [new(TopicAccess.Read, topics.Alerts(crew))])));
        principals.Add(new Principal(Observer, [new(TopicAccess.Read, $"{root}/#")]));

        var twice = principals.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new AccessRefusedException($"principal '{twice.Key}' comes out of the site files more than once (a site or gateway defined twice?)");
        }

        foreach (var added in extra ?? [])
        {
            var index = principals.FindIndex(p => p.Name == added.Name);
            if (index < 0)
            {
                principals.Add(added);
            }
            else
            {
                principals[index] = new Principal(added.Name, [.. principals[index].Acl, .. added.Acl]);
            }
        }

        return principals;
    }

    /// <summary>A consumer group's replay lines: it asks every gateway on <c>replay/{group}</c>, reads <c>replayed/{group}</c>, and reports what it lost on <c>{root}/datagap/{group}</c>.</summary>
    private static AclEntry[] Replays(string root, string group) =>
    [
        new(TopicAccess.Write, $"{root}/+/+/replay/{group}"),
        new(TopicAccess.Read, $"{root}/+/+/replayed/{group}"),
        new(TopicAccess.Write, $"{root}/datagap/{group}"),
    ];
}
