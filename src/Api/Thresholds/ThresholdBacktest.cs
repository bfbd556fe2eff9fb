using Telemetry.Api.Plant;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Maintenance.Tickets;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Replay;

namespace Telemetry.Api.Thresholds;

/// <summary>A value proposed in a backtest: set at a scope, or its override there removed (null).</summary>
public sealed record ProposedThreshold(ThresholdParameter Parameter, ThresholdScope Scope, double? Value);

/// <summary>An asset of a backtest's tickets.</summary>
public sealed record BacktestAsset(string Site, string Gateway, string? Device, string? Circuit)
{
    public static BacktestAsset From(AssetRef asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return new(asset.Site, asset.Gateway, asset.Device, asset.Circuit);
    }
}

/// <summary>A ticket a replay would have opened: the fault from its detection to its clearing (null: still active at the end).</summary>
public sealed record BacktestTicket(BacktestAsset Asset, string Fault, int Grade, DateTimeOffset OpenedAt, DateTimeOffset? ClearedAt, string Summary);

/// <summary>A ticket opened under both, that clears at another time under the proposal.</summary>
public sealed record BacktestClearing(BacktestTicket Current, BacktestTicket Proposed);

/// <summary>A ticket that the proposal opens as another fault of the same rule, at another grade; with the real ticket of the current fault, if one opened.</summary>
public sealed record BacktestRegrade(BacktestTicket Current, BacktestTicket Proposed, string? ActualTicket);

/// <summary>A ticket that really opened in the range on an affected asset.</summary>
public sealed record ActualTicket(string Number, BacktestAsset Asset, string Fault, int Grade, string Status, DateTimeOffset OpenedAt, DateTimeOffset? ConditionClearedAt);

/// <summary>
/// What a backtest found. <see cref="CurrentTickets"/> and <see cref="ProposedTickets"/> are the replays side by side;
/// the differences are sorted into those the proposal opens that the current thresholds do not
/// (<see cref="WouldOpen"/>), those it does not open (<see cref="WouldNotOpen"/>), those it opens as another fault at
/// another grade (<see cref="Regraded"/>) and those it clears at another time (<see cref="ClearedDifferently"/>);
/// <see cref="Actual"/> are the tickets that really opened on the affected assets in the range.
/// </summary>
public sealed record BacktestResult(
    DateTimeOffset From,
    DateTimeOffset To,
    long ThresholdVersion,
    IReadOnlyList<string> Sites,
    int Devices,
    IReadOnlyList<BacktestTicket> CurrentTickets,
    IReadOnlyList<BacktestTicket> ProposedTickets,
    IReadOnlyList<BacktestTicket> WouldOpen,
    IReadOnlyList<BacktestTicket> WouldNotOpen,
    IReadOnlyList<BacktestRegrade> Regraded,
    IReadOnlyList<BacktestClearing> ClearedDifferently,
    IReadOnlyList<ActualTicket> Actual);

/// <summary>The backtest is larger than one request may ask for; nothing was replayed.</summary>
public sealed class BacktestTooLargeException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Replays the stored readings of the devices a proposal affects through the same rule engine twice, with the
/// thresholds in force and with the proposal, and compares the tickets each would have opened. Reads the threshold
/// store, the ticket store and InfluxDB; writes nothing anywhere.
/// </summary>
public sealed class ThresholdBacktest(IThresholdStore thresholds, ITicketRepository tickets, ApiPlant plant, RuleSet rules, ApiInfluxSettings influxSettings, InfluxClient? influx = null)
{
    /// <summary>The longest range one backtest replays.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>The most devices one backtest replays: a proposal reaching more is narrowed by scope, or its range shortened.</summary>
    public const int MaxDevices = 200;

    /// <summary>The most proposed values in one backtest.</summary>
    public const int MaxChanges = 20;

    /// <summary>The most tickets listed per side; the counts beyond are cut.</summary>
    public const int MaxListed = 1000;

    /// <summary>True when stored readings can be read (the <c>Influx</c> section has a URL).</summary>
    public bool CanReplay => influx is not null;

    public async Task<BacktestResult> RunAsync(IReadOnlyList<ProposedThreshold> changes, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var current = await thresholds.LoadAsync(cancellationToken);
        var proposed = changes.Aggregate(current, (snapshot, change) => snapshot.With(change.Parameter, change.Scope, change.Value));
        var parameters = changes.Select(c => c.Parameter).Distinct().ToList();

        // The devices whose values the proposal moves; gateway-level values (offline grace) move a whole site's gateways.
        var devices = new HashSet<(string Site, string Device)>();
        var gatewaySites = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in plant.Sites)
        {
            if (parameters.Any(p => current.ForSite(site.Id)[p] != proposed.ForSite(site.Id)[p]))
            {
                gatewaySites.Add(site.Id);
            }

            foreach (var device in site.Gateways.SelectMany(g => g.Devices))
            {
                if (parameters.Any(p => current.For(device.Family, site.Id, device.Id)[p] != proposed.For(device.Family, site.Id, device.Id)[p]))
                {
                    devices.Add((site.Id, device.Id));
                }
            }
        }

        if (devices.Count > MaxDevices)
        {
            throw new BacktestTooLargeException("changes", $"the proposal moves the values of {devices.Count} devices; a backtest replays at most {MaxDevices}: narrow the scope");
        }

        var sites = devices.Select(d => d.Site).Concat(gatewaySites).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        bool Affected(AssetRef asset) => asset.Device is { } device ? devices.Contains((asset.Site, device)) : gatewaySites.Contains(asset.Site);

        var currentTickets = new List<BacktestTicket>();
        var proposedTickets = new List<BacktestTicket>();
        var actual = new List<ActualTicket>();
        if (sites.Count > 0)
        {
            var client = influx ?? throw new InvalidOperationException("stored readings cannot be read: the Influx section has no URL");
            var history = new StoredHistory(client, influxSettings.Database);
            var directory = new PlantDirectory(plant.Sites);
            foreach (var site in sites)
            {
                // Each replay streams the range again rather than holding a month of readings in memory.
                var before = await new RuleReplay(directory, current, rules).RunAsync(history.ReadAsync(site, from, to, cancellationToken), to, cancellationToken);
                var after = await new RuleReplay(directory, proposed, rules).RunAsync(history.ReadAsync(site, from, to, cancellationToken), to, cancellationToken);
                currentTickets.AddRange(Episodes(before.Where(t => Affected(t.Asset))));
                proposedTickets.AddRange(Episodes(after.Where(t => Affected(t.Asset))));
                var opened = await tickets.ListAsync(new TicketQuery { Site = site, OpenedFrom = from, OpenedTo = to, Limit = TicketQuery.MaxLimit }, cancellationToken);
                actual.AddRange(opened.Where(t => Affected(t.Asset)).Select(t => new ActualTicket(
                    t.Number.ToString(), BacktestAsset.From(t.Asset), t.Fault.ToName(), (int)t.Grade, t.Status.ToName(), t.OpenedAt, t.ConditionClearedAt)));
            }
        }

        return Compare(current.Version, from, to, sites, devices.Count, currentTickets, proposedTickets, actual, parameters);
    }

    private BacktestResult Compare(
        long version, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> sites, int devices,
        List<BacktestTicket> current, List<BacktestTicket> proposed, List<ActualTicket> actual, List<ThresholdParameter> parameters)
    {
        bool Overlap(BacktestTicket a, BacktestTicket b) => a.Asset == b.Asset && a.OpenedAt <= (b.ClearedAt ?? to) && b.OpenedAt <= (a.ClearedAt ?? to);

        // Faults one rule raises as classes of one quantity (single lamps, outage, total dark) regrade into each other.
        var related = parameters.SelectMany(rules.UsesOf).Select(u => u.Faults.Select(f => f.ToName()).ToHashSet(StringComparer.Ordinal)).ToList();
        bool SameRule(string a, string b) => related.Any(set => set.Contains(a) && set.Contains(b));

        var unmatchedProposed = new List<BacktestTicket>(proposed);
        var unmatchedCurrent = new List<BacktestTicket>();
        var clearedDifferently = new List<BacktestClearing>();
        foreach (var ticket in current)
        {
            var match = unmatchedProposed.FirstOrDefault(p => p.Fault == ticket.Fault && Overlap(ticket, p));
            if (match is null)
            {
                unmatchedCurrent.Add(ticket);
                continue;
            }

            unmatchedProposed.Remove(match);
            if (match.ClearedAt != ticket.ClearedAt || match.OpenedAt != ticket.OpenedAt)
            {
                clearedDifferently.Add(new BacktestClearing(ticket, match));
            }
        }

        var regraded = new List<BacktestRegrade>();
        foreach (var ticket in unmatchedCurrent.ToList())
        {
            var match = unmatchedProposed.FirstOrDefault(p => p.Fault != ticket.Fault && p.Grade != ticket.Grade && SameRule(p.Fault, ticket.Fault) && Overlap(ticket, p));
            if (match is not null)
            {
                unmatchedProposed.Remove(match);
                unmatchedCurrent.Remove(ticket);
                var real = actual.FirstOrDefault(a => a.Asset == ticket.Asset && a.Fault == ticket.Fault && a.OpenedAt <= (ticket.ClearedAt ?? to) && (a.ConditionClearedAt ?? to) >= ticket.OpenedAt);
                regraded.Add(new BacktestRegrade(ticket, match, real?.Number));
            }
        }

        return new BacktestResult(from, to, version, sites, devices, [.. current.Take(MaxListed)], [.. proposed.Take(MaxListed)],
            [.. unmatchedProposed.Take(MaxListed)], [.. unmatchedCurrent.Take(MaxListed)], [.. regraded.Take(MaxListed)], [.. clearedDifferently.Take(MaxListed)], [.. actual.Take(MaxListed)]);
    }

    /// <summary>The tickets transitions make: one per asset and fault from its detection to its clearing, as the ticket store keeps one open ticket per asset and fault.</summary>
    private static List<BacktestTicket> Episodes(IEnumerable<FaultTransition> transitions)
    {
        var open = new Dictionary<(string Asset, FaultType Fault), int>();
        var episodes = new List<BacktestTicket>();
        foreach (var transition in transitions)
        {
            var key = (transition.Asset.Key, transition.Fault);
            switch (transition)
            {
                case FaultDetected detected when !open.ContainsKey(key):
                    open[key] = episodes.Count;
                    episodes.Add(new BacktestTicket(BacktestAsset.From(detected.Asset), detected.Fault.ToName(), (int)detected.Grade, detected.At, null, detected.Summary));
                    break;
                case FaultDetected detected when (int)detected.Grade < episodes[open[key]].Grade:
                    episodes[open[key]] = episodes[open[key]] with { Grade = (int)detected.Grade };
                    break;
                case FaultCleared cleared when open.Remove(key, out var index):
                    episodes[index] = episodes[index] with { ClearedAt = cleared.At };
                    break;
            }
        }

        return episodes;
    }
}
